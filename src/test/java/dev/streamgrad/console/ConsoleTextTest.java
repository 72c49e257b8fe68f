package dev.streamgrad.console;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ConsoleTextTest {
  @Test
  void controlCharactersAndTextMovingCharactersAreEscaped() {
    assertThat(ConsoleText.escape("a\nb\rc\td")).isEqualTo("a\\nb\\rc\\td");
    assertThat(ConsoleText.escape("\u001b[31mred\u0007")).isEqualTo("\\u001b[31mred\\u0007");
    assertThat(ConsoleText.escape("del\u007f c1\u0085 \u009b")).isEqualTo("del\\u007f c1\\u0085 \\u009b");
    assertThat(ConsoleText.escape("line\u2028para\u2029")).isEqualTo("line\\u2028para\\u2029");
    assertThat(ConsoleText.escape("rtl\u202eevil\u2066x\u2069\u200f"))
        .isEqualTo("rtl\\u202eevil\\u2066x\\u2069\\u200f");
    assertThat(ConsoleText.escape(null)).isEqualTo("null");
  }

  @Test
  void printableTextStaysAsItIsAndABackslashIsNotAnEscape() {
    String text = "model-a äöü 模型 \uD83D\uDE00 C:\\path \"q\"";
    assertThat(ConsoleText.escape(text)).isEqualTo(text);
  }

  @Test
  void longValuesAreCutWithTheirLength() {
    String mega = "x".repeat(1 << 20);
    assertThat(ConsoleText.name(mega)).isEqualTo("x".repeat(64) + "...[1048576 chars]");
    assertThat(ConsoleText.escape("abcdef", 6)).isEqualTo("abcdef");
    assertThat(ConsoleText.escape("abcdefg", 6)).isEqualTo("abcdef...[7 chars]");
  }

  @Test
  void cuttingNeverSplitsAnEscapeOrASurrogatePair() {
    assertThat(ConsoleText.escape("abcd\n", 5)).isEqualTo("abcd...[5 chars]");
    assertThat(ConsoleText.escape("abc\u001bz", 8)).isEqualTo("abc...[5 chars]");
    assertThat(ConsoleText.escape("abcd\uD83D\uDE00", 5)).isEqualTo("abcd...[6 chars]");
    assertThat(ConsoleText.escape("abc\uD83D\uDE00", 5)).isEqualTo("abc\uD83D\uDE00");
  }

  @Test
  void oneLineJoinsLinesAndEscapesTheRest() {
    assertThat(ConsoleText.oneLine("first line\n   at [Source: x; line: 3]\r\nend\u001b", 200))
        .isEqualTo("first line at [Source: x; line: 3] end\\u001b");
    assertThat(ConsoleText.oneLine("  padded  ", 200)).isEqualTo("padded");
    assertThat(ConsoleText.oneLine("y".repeat(500), 400)).hasSize(400 + "...[500 chars]".length());
  }
}
