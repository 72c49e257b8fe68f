package dev.streamgrad.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.streamgrad.avro.FilterSnapshot;
import java.awt.image.BufferedImage;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Opens a report in a real headless browser, Chromium from Debian's packages ({@code apt-get install
 * -y chromium}), and checks that every chart rendered: the page's script counts ECharts'
 * {@code finished} events into {@code data-rendered}, the DOM holds a canvas per chart, the model
 * names arrive as text, and a screenshot is neither blank nor grey.
 *
 * <p>Skipped (a JUnit assumption) where no Chromium binary is found, so {@code mvn -B verify} passes
 * on a machine with only Java and Maven: it looks for {@code $CHROMIUM}, then {@code chromium},
 * {@code chromium-browser}, {@code google-chrome} on the PATH.
 */
class ReportBrowserTest {
  private static Path chromium;

  @TempDir
  Path tmp;

  @BeforeAll
  static void findChromium() {
    List<String> names = new ArrayList<>();
    String env = System.getenv("CHROMIUM");
    if (env != null && !env.isBlank()) {
      names.add(env);
    }
    names.addAll(List.of("chromium", "chromium-browser", "google-chrome"));
    for (String name : names) {
      Path direct = Path.of(name);
      if (direct.isAbsolute() && Files.isExecutable(direct)) {
        chromium = direct;
        return;
      }
      for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
        Path p = Path.of(dir.isEmpty() ? "." : dir, name);
        if (Files.isExecutable(p) && !Files.isDirectory(p)) {
          chromium = p;
          return;
        }
      }
    }
  }

  private String browse(Path page, String... what) throws IOException, InterruptedException {
    assumeTrue(chromium != null, "no Chromium found ($CHROMIUM, chromium, chromium-browser, google-chrome):"
        + " the browser check of the report is skipped (apt-get install -y chromium runs it)");
    List<String> cmd = new ArrayList<>(List.of(chromium.toString(), "--headless", "--no-sandbox", "--disable-gpu",
        "--no-first-run", "--hide-scrollbars", "--user-data-dir=" + tmp.resolve("profile"),
        "--virtual-time-budget=15000"));
    cmd.addAll(List.of(what));
    cmd.add(page.toUri().toString());
    Path out = tmp.resolve("chromium.out");
    Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(tmp.resolve("chromium.err").toFile())
        .start();
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("chromium did not finish in 120 s: " + cmd);
    }
    assertThat(p.exitValue()).as("chromium exit code; stderr: %s", Files.readString(tmp.resolve("chromium.err")))
        .isZero();
    return Files.readString(out, StandardCharsets.UTF_8);
  }

  @Test
  void everyChartRendersInARealBrowser() throws IOException, InterruptedException {
    String evil = "<b>beta</b> & \"gamma\"";
    List<ModelHistory> models = new ArrayList<>();
    for (String name : List.of("alpha", evil)) {
      List<FilterSnapshot> s = new ArrayList<>();
      for (long v = 1; v <= 40; v++) {
        FilterSnapshot snap = SnapshotFiles.conv2d(name, v, ReportDataTest.TARGET, 0.3);
        // alpha's snapshots carry an evaluation (schema v3): its series and a drift are drawn too
        s.add(name.equals("alpha") ? SnapshotFiles.evaluated(snap, v == 30) : snap);
      }
      models.add(ModelHistory.of(name, SnapshotFiles.RUN, s, new ArrayList<>()));
    }
    assertThat(models.get(0).series()).hasSize(4);
    assertThat(models.get(0).events()).hasSize(1);
    models.get(0).addEvent(new Event("drift (test)", 200, models.get(0).series().get(0).eventTimes()[19]));
    HiddenFilter hidden = new HiddenFilter(new double[][] {{0.5, -1, 0.25}, {2, 0, -0.5}, {1.5, -2, 0.75}}, 0.3);
    int charts = HtmlReport.chartCount(models, Optional.of(hidden));
    assertThat(charts).isEqualTo(12);
    Path page = tmp.resolve("report.html");
    Files.writeString(page, HtmlReport.render("report test", models, Optional.of(hidden)));

    String dom = browse(page, "--dump-dom");
    Matcher body = Pattern.compile("<body[^>]*data-charts=\"(\\d+)\"[^>]*>").matcher(dom);
    assertThat(body.find()).as("the page's script ran to the end").isTrue();
    assertThat(body.group()).contains("data-charts=\"" + charts + "\"").contains("data-rendered=\"" + charts + "\"");
    int canvases = 0;
    for (int i = dom.indexOf("<canvas"); i >= 0; i = dom.indexOf("<canvas", i + 1)) {
      canvases++;
    }
    assertThat(canvases).as("one canvas per chart").isGreaterThanOrEqualTo(charts);
    assertThat(dom).contains("<h2>alpha</h2>", "<h2>&lt;b&gt;beta&lt;/b&gt; &amp; \"gamma\"</h2>")
        .doesNotContain("<b>beta</b>");

    Path shot = tmp.resolve("shot.png");
    browse(page, "--window-size=1400,2200", "--screenshot=" + shot);
    BufferedImage img = ImageIO.read(shot.toFile());
    assertThat(img.getWidth()).isEqualTo(1400);
    long inked = 0;
    long colored = 0;
    Set<Integer> colors = new HashSet<>();
    for (int y = 0; y < img.getHeight(); y += 2) {
      for (int x = 0; x < img.getWidth(); x += 2) {
        int rgb = img.getRGB(x, y) & 0xffffff;
        int r = rgb >> 16;
        int g = (rgb >> 8) & 0xff;
        int b = rgb & 0xff;
        if (rgb != 0xffffff) {
          inked++;
        }
        if (Math.max(r, Math.max(g, b)) - Math.min(r, Math.min(g, b)) > 80) {
          colored++;
        }
        colors.add(rgb);
      }
    }
    long sampled = (long) (img.getWidth() / 2) * (img.getHeight() / 2);
    assertThat(inked).as("pixels that are not white").isGreaterThan(sampled / 10);
    assertThat(colored).as("strongly colored pixels (heatmaps, lines)").isGreaterThan(sampled / 50);
    assertThat(colors.size()).as("distinct colors").isGreaterThan(100);
  }
}
