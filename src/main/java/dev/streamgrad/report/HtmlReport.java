package dev.streamgrad.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Renders {@link ModelHistory}s as one self-contained HTML page: Apache ECharts (from its WebJar)
 * and the drawing script are inlined, the data is a JSON block, so the file opens without a
 * network. Per model: the loss over records and over event time (every {@link Series}, every
 * {@link Event} as a marker line), each parameter as a heatmap of its elements across versions, and,
 * when the hidden filter is known, the newest learned filter beside it on one color scale.
 *
 * <p>ECharts comes from its WebJar ({@code org.webjars.npm:echarts}): the build unpacks its
 * {@code dist/echarts.min.js} and LICENSE into the classes (pom.xml, {@code unpack-echarts}).
 *
 * <p>Large histories are thinned so the page stays light: at most {@value #MAX_LINE_POINTS} points
 * per series and {@value #MAX_HEATMAP_CELLS} cells per heatmap (evenly spaced versions, the first and
 * the newest always kept).
 */
public final class HtmlReport {
  static final int MAX_LINE_POINTS = 5000;
  static final int MAX_HEATMAP_CELLS = 150_000;
  static final String ECHARTS = "META-INF/resources/webjars/echarts/" + echartsVersion() + "/dist/echarts.min.js";
  private static final Pattern SCRIPT_END = Pattern.compile("</(script)", Pattern.CASE_INSENSITIVE);
  private static final ObjectMapper JSON = new ObjectMapper();

  private HtmlReport() {}

  /** The charts a page of {@code models} holds: what a browser must have drawn. */
  public static int chartCount(List<ModelHistory> models, Optional<HiddenFilter> hidden) {
    int n = 0;
    for (ModelHistory m : models) {
      n += 2 + (int) m.parameters().stream().filter(p -> !p.versions().isEmpty()).count();
      if (hidden.isPresent() && m.filterLike(hidden.get()) != null) {
        n += 2;
      }
    }
    return n;
  }

  /** The page. {@code title} and all text from the data are escaped. */
  public static String render(String title, List<ModelHistory> models, Optional<HiddenFilter> hidden) {
    String data = escapeForScript(ReportJson.of(models, hidden).toString());
    StringBuilder html = new StringBuilder(1_200_000);
    html.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
        .append("<meta name=\"generator\" content=\"streamgrad report, Apache ECharts ").append(echartsVersion())
        .append("\">\n<title>").append(escapeHtml(title)).append("</title>\n<style>\n").append(CSS).append("</style>\n")
        .append("<script>\n").append(SCRIPT_END.matcher(resource(ECHARTS)).replaceAll("<\\\\/$1")).append("\n</script>\n")
        .append("</head>\n<body>\n<h1>").append(escapeHtml(title)).append("</h1>\n")
        .append("<div id=\"models\"></div>\n")
        .append("<script type=\"application/json\" id=\"report-data\">").append(data).append("</script>\n")
        .append("<script>\n").append(resource("dev/streamgrad/report/report.js")).append("</script>\n")
        .append("</body>\n</html>\n");
    return html.toString();
  }

  private static final String CSS = String.join("\n",
      "body { font-family: system-ui, sans-serif; margin: 16px 24px; color: #222; background: #fff; }",
      "h1 { font-size: 20px; } h2 { font-size: 17px; margin: 24px 0 2px; }",
      ".meta, .note { color: #555; font-size: 13px; margin: 2px 0 8px; }",
      ".row { display: flex; flex-wrap: wrap; gap: 12px; }",
      ".chart { width: 640px; height: 320px; border: 1px solid #eee; }",
      ".chart.small { width: 420px; height: 320px; }", "");

  /** HTML text and attribute escaping. */
  static String escapeHtml(String s) {
    StringBuilder out = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '&' -> out.append("&amp;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&#39;");
        default -> out.append(c);
      }
    }
    return out.toString();
  }

  /**
   * JSON that can sit inside a {@code <script>} element: no {@code <}, {@code >} or {@code &} (so no
   * {@code </script>} or comment can end it early) and no line separators that old parsers reject.
   */
  static String escapeForScript(String json) {
    return json.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
        .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029");
  }

  static String echartsVersion() {
    String v = null;
    try (InputStream in = HtmlReport.class.getClassLoader()
        .getResourceAsStream("META-INF/maven/org.webjars.npm/echarts/pom.properties")) {
      if (in != null) {
        java.util.Properties p = new java.util.Properties();
        p.load(in);
        v = p.getProperty("version");
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (v == null) {
      throw new IllegalStateException("Apache ECharts is missing from the class path (the build unpacks it from the"
          + " org.webjars.npm:echarts WebJar); streamgrad report runs from the distribution or the ./streamgrad launcher");
    }
    return v;
  }

  private static String resource(String name) {
    try (InputStream in = HtmlReport.class.getClassLoader().getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException(name + " is not on the class path");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Pretty JSON of the page's data, for tests and for a reader who wants the numbers. */
  static String dataJson(List<ModelHistory> models, Optional<HiddenFilter> hidden) {
    try {
      return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(ReportJson.of(models, hidden));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  static String fmt(double v) {
    return String.format(Locale.ROOT, "%.6g", v);
  }

  static ArrayNode array() {
    return JSON.createArrayNode();
  }

  static ObjectNode object() {
    return JSON.createObjectNode();
  }
}
