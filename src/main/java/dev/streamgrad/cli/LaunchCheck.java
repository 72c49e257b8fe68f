package dev.streamgrad.cli;

import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;
import java.security.CodeSource;

/**
 * Checks, with nothing but the JDK, whether {@link Main} can run where it was started: {@code java
 * -jar streamgrad-job.jar} lacks Flink (a cluster provides it), and the plain project jar lacks
 * every library. Both get a few lines that say what to run instead, and exit code 2, rather than
 * a {@link NoClassDefFoundError}. Also tells whether Flink started us as a job's main class.
 */
final class LaunchCheck {
  private static final String PICOCLI = "picocli.CommandLine";
  private static final String FLINK = "org.apache.flink.streaming.api.environment.StreamExecutionEnvironment";
  private static final String USER_CODE_LOADER = "org.apache.flink.util.FlinkUserCodeClassLoader";
  private static final String RUN_HERE = "Run streamgrad on this machine:  streamgrad run jobs/train-conv2d.yaml"
      + "  (./streamgrad in a source checkout, bin/streamgrad in the distribution)";

  private LaunchCheck() {}

  /** What is wrong with the class path {@code main} was loaded from, or null when it can run. */
  static String problem(Class<?> main) {
    ClassLoader loader = main.getClassLoader();
    boolean picocli = present(PICOCLI, loader);
    boolean flink = present(FLINK, loader);
    if (picocli && flink) {
      return null;
    }
    String jar = jarName(main);
    String self = jar != null ? jar : "This class path";
    if (picocli) {
      return self + " is streamgrad's Flink job jar: it holds streamgrad and the libraries a Flink cluster lacks,"
          + " but not Flink itself, so plain `java` cannot run it.\n"
          + "Submit it to a Flink cluster:    flink run " + (jar != null ? jar : "streamgrad-job.jar")
          + " run jobs/kafka-train.yaml\n" + RUN_HERE;
    }
    return self + " holds streamgrad's own classes only, without the libraries it needs (Flink, picocli, Avro, ...).\n"
        + RUN_HERE + "\n"
        + "Submit it to a Flink cluster:    flink run target/streamgrad-job.jar run jobs/kafka-train.yaml";
  }

  /** Whether Flink loaded {@code main} from a job jar (user-code class loader): we are a job's main. */
  static boolean insideFlink(Class<?> main) {
    for (Class<?> c = main.getClassLoader() == null ? null : main.getClassLoader().getClass(); c != null;
        c = c.getSuperclass()) {
      if (USER_CODE_LOADER.equals(c.getName())) {
        return true;
      }
    }
    return false;
  }

  /** Whether class {@code name} is on the class path; looks for its file, so that nothing is loaded yet. */
  private static boolean present(String name, ClassLoader loader) {
    String file = name.replace('.', '/') + ".class";
    return (loader != null ? loader.getResource(file) : ClassLoader.getSystemResource(file)) != null;
  }

  /** The jar {@code c} came from, relative to the working directory when inside it; null for a folder. */
  private static String jarName(Class<?> c) {
    try {
      CodeSource source = c.getProtectionDomain().getCodeSource();
      URL url = source == null ? null : source.getLocation();
      if (url == null || !url.getPath().endsWith(".jar")) {
        return null;
      }
      Path jar = Path.of(url.toURI()).toAbsolutePath().normalize();
      Path here = Path.of("").toAbsolutePath();
      return (jar.startsWith(here) ? here.relativize(jar) : jar).toString();
    } catch (URISyntaxException | RuntimeException e) {
      return null;
    }
  }
}
