package dev.streamgrad.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The README and docs/*.md stay true to the code: a link to a source line points at the line that
 * holds the code its text shows, relative links resolve, the README's first commands are the
 * product's front door, and every {@code streamgrad} command in a code block parses (commands,
 * options and spec files exist).
 */
class DocsTest {
  private static final Pattern LINE_LINK = Pattern.compile("\\[`([^`]+)`]\\(([^)#\\s]+)#L(\\d+)\\)");
  private static final Pattern LINK = Pattern.compile("]\\(([^)\\s]+)\\)");
  private static final Pattern CODE_BLOCK = Pattern.compile("```bash\\n(.*?)```", Pattern.DOTALL);

  private static List<Path> documents() throws IOException {
    List<Path> docs = new ArrayList<>(List.of(Path.of("README.md")));
    try (Stream<Path> s = Files.list(Path.of("docs"))) {
      s.filter(p -> p.toString().endsWith(".md")).sorted().forEach(docs::add);
    }
    return docs;
  }

  @Test
  void linksToSourceLinesPointAtTheCodeTheyShow() throws IOException {
    int links = 0;
    for (Path doc : documents()) {
      Matcher m = LINE_LINK.matcher(Files.readString(doc));
      while (m.find()) {
        Path source = doc.resolveSibling(m.group(2));
        List<String> lines = Files.readAllLines(source);
        int line = Integer.parseInt(m.group(3));
        assertThat(line).as("%s: %s", doc, m.group()).isBetween(1, lines.size());
        assertThat(lines.get(line - 1)).as("%s links to %s line %d for `%s`; the code moved: update the link", doc,
            m.group(2), line, m.group(1)).contains(m.group(1));
        links++;
      }
    }
    assertThat(links).as("the tutorial table's links").isGreaterThanOrEqualTo(17);
  }

  @Test
  void relativeLinksResolve() throws IOException {
    for (Path doc : documents()) {
      Matcher m = LINK.matcher(Files.readString(doc));
      while (m.find()) {
        String target = m.group(1).replaceAll("#.*$", "");
        if (target.isEmpty() || target.contains("://") || target.startsWith("mailto:")) {
          continue;
        }
        assertThat(doc.resolveSibling(target)).as("%s: %s", doc, m.group()).exists();
      }
    }
  }

  @Test
  void theReadmeStartsWithTheMainJobThroughTheLauncherAndTheTestCommand() throws IOException {
    Matcher first = CODE_BLOCK.matcher(Files.readString(Path.of("README.md")));
    assertThat(first.find()).isTrue();
    List<String> lines = first.group(1).lines().toList();
    assertThat(lines).hasSize(2);
    assertThat(lines.get(0)).startsWith("./streamgrad run jobs/train-conv2d.yaml ");
    assertThat(lines.get(1)).startsWith("mvn -B verify ");
    assertThat(Files.readString(Path.of(".ci", "run"))).contains("\nmvn -B verify\n");
  }

  @Test
  void everyDocumentedStreamgradCommandParses() throws IOException {
    int commands = 0;
    for (Path doc : documents()) {
      Matcher block = CODE_BLOCK.matcher(Files.readString(doc));
      while (block.find()) {
        for (String line : block.group(1).lines().toList()) {
          List<String> words = shellWords(line);
          if (words.isEmpty() || !words.get(0).matches("(\\./|bin/)?streamgrad")) {
            assertThat(line).as("%s: users run the launcher, not Maven", doc).doesNotContain("exec:exec");
            continue;
          }
          List<String> args = words.subList(1, words.size());
          CommandLine.ParseResult parsed = Cli.commandLine().parseArgs(args.toArray(new String[0]));
          assertThat(parsed.subcommand()).as("%s: %s", doc, line).isNotNull();
          args.stream().filter(a -> a.endsWith(".yaml")).forEach(spec -> assertThat(Path.of(spec))
              .as("%s: %s", doc, line).isRegularFile());
          commands++;
        }
      }
    }
    assertThat(commands).isGreaterThanOrEqualTo(10);
  }

  /** The words of one shell command line: quotes honoured, a comment or a pipe ends it. */
  static List<String> shellWords(String line) {
    List<String> words = new ArrayList<>();
    StringBuilder w = null;
    char quote = 0;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (quote != 0) {
        if (c == quote) {
          quote = 0;
        } else {
          w.append(c);
        }
      } else if (c == '\'' || c == '"') {
        quote = c;
        w = w == null ? new StringBuilder() : w;
      } else if (Character.isWhitespace(c)) {
        if (w != null) {
          words.add(w.toString());
          w = null;
        }
      } else if ((c == '#' && w == null) || c == '|' || c == ';' || c == '&') {
        break;
      } else {
        w = w == null ? new StringBuilder().append(c) : w.append(c);
      }
    }
    if (w != null) {
      words.add(w.toString());
    }
    return words;
  }
}
