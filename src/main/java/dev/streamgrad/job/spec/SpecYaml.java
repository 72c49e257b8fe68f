package dev.streamgrad.job.spec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.streamgrad.config.SpecException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.composer.Composer;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.parser.ParserImpl;
import org.yaml.snakeyaml.reader.StreamReader;
import org.yaml.snakeyaml.resolver.Resolver;

/**
 * Reads the YAML of a spec (or of a {@code --set} value) into a Jackson tree, the one place spec
 * YAML is parsed. Values are typed as YAML 1.1 types them, as Jackson's YAML module does ({@code
 * 1_000} and {@code 0x10} are integers, {@code yes} and {@code on} booleans, {@code .nan} and
 * {@code .inf} floats, which the spec's checks then reject naming the key), but nothing is silently
 * lost:
 *
 * <ul>
 *   <li>a key given twice in one mapping is an error naming both lines (Jackson keeps the last);
 *   <li>an alias is the node its anchor names, as YAML defines it ({@code keys: [&k alpha, *k]} is
 *       {@code [alpha, alpha]}; Jackson reads {@code *k} as the string {@code k}); {@code <<: *base}
 *       merges a mapping, its own keys taking precedence; an alias inside the node it names is an
 *       error;
 *   <li>tags other than YAML's own ({@code !!str}, {@code !!int}, ...) are errors;
 *   <li>limits answer any text within a few seconds: at most {@link #MAX_CHARS} characters (the
 *       caller checks a file's size before reading it), {@link #MAX_DEPTH} levels of nesting,
 *       {@link #MAX_COLLECTION_ALIASES} aliases of lists or mappings, and {@link #MAX_VALUES} values
 *       after aliases are expanded.
 * </ul>
 */
final class SpecYaml {
  /**
   * Largest spec, in characters: 256 KiB, far above any real spec (the shipped ones are below 2 KB;
   * a 100x100 filter written out takes about 200 KB), and small enough that the worst text of that
   * size (a list of 90,000 numbers) is parsed in under a second.
   */
  static final int MAX_CHARS = 256 << 10;
  /** Deepest nesting of lists and mappings (a spec needs 5). */
  static final int MAX_DEPTH = 32;
  /** Most aliases of lists or mappings (each may expand to a copy of what it names). */
  static final int MAX_COLLECTION_ALIASES = 100;
  /** Most values (scalars, lists and mappings) after aliases are expanded. */
  static final int MAX_VALUES = 250_000;

  /** How a message about text that is not YAML at all begins. */
  static final String SYNTAX_ERROR = "not valid YAML: ";

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private final String file;
  private final Set<Node> open = Collections.newSetFromMap(new IdentityHashMap<>());
  private final ScalarValues scalars;
  private int values;

  private SpecYaml(String file, LoaderOptions options) {
    this.file = file;
    this.scalars = new ScalarValues(options);
  }

  /**
   * Parses {@code text} ({@code file} names it in messages; {@code path} is the key path of the
   * text's root, empty for a whole spec). Returns null for an empty document.
   */
  static JsonNode read(String file, String path, String text) throws SpecException {
    if (text.length() > MAX_CHARS) {
      throw new SpecException(file, path, String.format(Locale.ROOT,
          "is %,d characters long; a spec may have at most %,d", text.length(), MAX_CHARS));
    }
    LoaderOptions options = new LoaderOptions();
    options.setCodePointLimit(MAX_CHARS);
    options.setNestingDepthLimit(MAX_DEPTH);
    options.setMaxAliasesForCollections(MAX_COLLECTION_ALIASES);
    options.setAllowRecursiveKeys(false);
    Node root;
    try {
      root = new Composer(new ParserImpl(new StreamReader(text), options), new Resolver(), options).getSingleNode();
    } catch (YAMLException e) {
      throw new SpecException(file, path, SYNTAX_ERROR + problem(e));
    }
    return root == null ? null : new SpecYaml(file, options).convert(root, path);
  }

  /** SnakeYAML's problem with its line and column, on one line. */
  static String problem(YAMLException e) {
    if (e instanceof MarkedYAMLException) {
      MarkedYAMLException m = (MarkedYAMLException) e;
      if (m.getProblemMark() != null) {
        // the problem alone reads well ("expected ',' or ']', but got ..."), unless it continues the
        // context ("expected a single document in the stream" / "but found another document")
        String context = m.getContext() == null || !m.getProblem().startsWith("but ") ? "" : m.getContext() + ", ";
        return (context + m.getProblem()).replaceAll("\\s+", " ") + " (" + at(m.getProblemMark().getLine(),
            m.getProblemMark().getColumn()) + ")";
      }
    }
    return String.valueOf(e.getMessage()).replaceAll("\\s+", " ").trim();
  }

  private static String at(int line, int column) {
    return "line " + (line + 1) + ", column " + (column + 1);
  }

  private static int line(Node n) {
    return n.getStartMark().getLine() + 1;
  }

  private SpecException error(String path, Node n, String problem) {
    return new SpecException(file, path, problem + " (line " + line(n) + ")");
  }

  private JsonNode convert(Node n, String path) throws SpecException {
    if (++values > MAX_VALUES) {
      throw error(path, n, String.format(Locale.ROOT, "the spec expands to more than %,d values (through aliases)",
          MAX_VALUES));
    }
    if (n instanceof ScalarNode) {
      return scalar((ScalarNode) n, path);
    }
    if (!open.add(n)) {
      throw error(path, n, "the alias *" + n.getAnchor() + " names a node that contains it (a recursive"
          + " structure, which a spec cannot hold)");
    }
    try {
      if (n instanceof SequenceNode) {
        requireTag(n, Tag.SEQ, path);
        ArrayNode out = NODES.arrayNode();
        List<Node> items = ((SequenceNode) n).getValue();
        for (int i = 0; i < items.size(); i++) {
          out.add(convert(items.get(i), path + "[" + i + "]"));
        }
        return out;
      }
      requireTag(n, Tag.MAP, path);
      return mapping((MappingNode) n, path);
    } finally {
      open.remove(n);
    }
  }

  private ObjectNode mapping(MappingNode m, String path) throws SpecException {
    ObjectNode out = NODES.objectNode();
    Map<String, Integer> lines = new HashMap<>();
    List<ObjectNode> merged = new ArrayList<>();
    for (NodeTuple t : m.getValue()) {
      Node k = t.getKeyNode();
      if (!(k instanceof ScalarNode)) {
        throw error(path, k, "a key must be a plain value, not a list or a mapping");
      }
      if (k.getTag().equals(Tag.MERGE)) {
        merged.addAll(mergeSources(t.getValueNode(), path));
        continue;
      }
      String key = ((ScalarNode) k).getValue();
      String keyPath = path.isEmpty() ? key : path + "." + key;
      Integer first = lines.putIfAbsent(key, line(k));
      if (first != null) {
        throw new SpecException(file, keyPath, "given twice, on lines " + first + " and " + line(k)
            + " (a key may appear once in a mapping)");
      }
      out.set(key, convert(t.getValueNode(), keyPath));
    }
    // YAML's merge key: the mapping's own keys win, then the merged mappings in the order given
    for (ObjectNode source : merged) {
      source.properties().forEach(e -> out.putIfAbsent(e.getKey(), e.getValue()));
    }
    return out;
  }

  private List<ObjectNode> mergeSources(Node value, String path) throws SpecException {
    List<Node> sources = value instanceof SequenceNode ? ((SequenceNode) value).getValue() : List.of(value);
    List<ObjectNode> out = new ArrayList<>();
    for (Node s : sources) {
      if (!(s instanceof MappingNode)) {
        throw error(path, s, "'<<' merges mappings: give it a mapping, an alias of one, or a list of them");
      }
      out.add((ObjectNode) convert(s, path));
    }
    return out;
  }

  private void requireTag(Node n, Tag expected, String path) throws SpecException {
    if (!n.getTag().equals(expected)) {
      throw error(path, n, "unsupported YAML tag " + n.getTag() + " (a spec uses YAML's plain types)");
    }
  }

  private JsonNode scalar(ScalarNode n, String path) throws SpecException {
    Tag tag = n.getTag();
    if (tag.equals(Tag.STR) || tag.equals(Tag.TIMESTAMP) || tag.equals(Tag.MERGE)) {
      return NODES.textNode(n.getValue());
    }
    if (!(tag.equals(Tag.INT) || tag.equals(Tag.FLOAT) || tag.equals(Tag.BOOL) || tag.equals(Tag.NULL))) {
      throw error(path, n, "unsupported YAML tag " + tag + " (a spec uses YAML's plain types)");
    }
    Object v;
    try {
      v = scalars.value(n);
    } catch (RuntimeException e) {
      throw error(path, n, "'" + n.getValue() + "' is not a valid " + tag.getValue().replace(Tag.PREFIX, "!!"));
    }
    if (v == null) {
      return NODES.nullNode();
    }
    if (v instanceof Boolean) {
      return NODES.booleanNode((Boolean) v);
    }
    if (v instanceof Integer) {
      return NODES.numberNode((Integer) v);
    }
    if (v instanceof Long) {
      return NODES.numberNode((Long) v);
    }
    if (v instanceof BigInteger) {
      return NODES.numberNode((BigInteger) v);
    }
    return NODES.numberNode(((Number) v).doubleValue());
  }

  /** SnakeYAML's own constructors for YAML 1.1's integers, floats, booleans and null. */
  private static final class ScalarValues extends SafeConstructor {
    ScalarValues(LoaderOptions options) {
      super(options);
    }

    Object value(ScalarNode n) {
      return constructObject(n);
    }
  }
}
