package dev.streamgrad.job.spec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.streamgrad.config.Section;
import dev.streamgrad.config.SpecException;
import java.util.List;

/**
 * Applies {@code --set key.path=value} overrides to a parsed spec tree before it is checked: missing
 * sections are created, the value is read as YAML ({@code 5}, {@code [5, 5]}, {@code {seed: 1}},
 * {@code text}), and {@code null} removes the key. The result is validated like the file itself.
 */
final class Overrides {
  private Overrides() {}

  static void apply(String file, ObjectNode root, List<String> overrides) throws SpecException {
    for (String o : overrides) {
      int eq = o.indexOf('=');
      if (eq <= 0) {
        throw new SpecException(file, o, "--set needs key.path=value");
      }
      String path = o.substring(0, eq).trim();
      String text = o.substring(eq + 1);
      String[] keys = path.split("\\.", -1);
      ObjectNode node = root;
      for (int i = 0; i < keys.length; i++) {
        if (keys[i].isEmpty()) {
          throw new SpecException(file, path, "--set has an empty key in the path");
        }
      }
      for (int i = 0; i < keys.length - 1; i++) {
        JsonNode child = node.get(keys[i]);
        if (child == null || child.isNull()) {
          child = node.putObject(keys[i]);
        } else if (!child.isObject()) {
          throw new SpecException(file, String.join(".", List.of(keys).subList(0, i + 1)),
              "--set " + path + ": is " + Section.describe(child) + ", not a mapping");
        }
        node = (ObjectNode) child;
      }
      JsonNode value = parseValue(file, path, text);
      String last = keys[keys.length - 1];
      if (value == null || value.isNull()) {
        node.remove(last);
      } else {
        node.set(last, value);
      }
    }
  }

  /**
   * The value as YAML ({@link SpecYaml}: duplicate keys and bad tags are errors); text that is not
   * YAML at all (e.g. {@code a: b: c}) is taken as the literal string the user typed.
   */
  private static JsonNode parseValue(String file, String path, String text) throws SpecException {
    if (text.isBlank()) {
      return JsonNodeFactory.instance.textNode(text);
    }
    try {
      JsonNode v = SpecYaml.read(file, path, text);
      return v == null ? JsonNodeFactory.instance.nullNode() : v;
    } catch (SpecException e) {
      if (e.problem().startsWith(SpecYaml.SYNTAX_ERROR)) {
        return JsonNodeFactory.instance.textNode(text);
      }
      throw new SpecException(file, e.keyPath(), "--set " + path + ": " + e.problem());
    }
  }
}
