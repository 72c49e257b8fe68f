package dev.streamgrad.cli;

import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarFile;

/**
 * The jars of {@code --jar}: user-written layers (and anything else found through
 * {@link java.util.ServiceLoader}) for the embedded cluster. They become the context class loader of
 * this thread, where the spec parser's layer registry looks, and the job's user jars, which the
 * MiniCluster's tasks load the layers' classes from, as a cluster does with {@code flink run -C}.
 */
final class ExtensionJars {
  private ExtensionJars() {}

  /**
   * Checks the jars and makes this thread's context class loader see them.
   *
   * @return the jars' absolute paths, for the job's user jars
   * @throws IllegalArgumentException naming a jar that is missing or not a jar
   */
  static List<String> install(List<Path> jars) {
    if (jars.isEmpty()) {
      return List.of();
    }
    List<String> paths = new ArrayList<>();
    List<URL> urls = new ArrayList<>();
    for (Path jar : jars) {
      if (!Files.isRegularFile(jar)) {
        throw new IllegalArgumentException("--jar " + jar + ": no such file");
      }
      try (JarFile opened = new JarFile(jar.toFile())) {
        if (opened.getManifest() == null && opened.getEntry("META-INF/services/") == null
            && opened.stream().noneMatch(e -> e.getName().endsWith(".class"))) {
          throw new IllegalArgumentException("--jar " + jar + ": holds no classes");
        }
        urls.add(jar.toAbsolutePath().toUri().toURL());
        paths.add(jar.toAbsolutePath().toString());
      } catch (MalformedURLException e) {
        throw new IllegalArgumentException("--jar " + jar + ": " + e.getMessage(), e);
      } catch (IOException e) {
        throw new IllegalArgumentException("--jar " + jar + ": not a jar (" + e.getMessage() + ")", e);
      }
    }
    // never closed: the layers' classes are needed until the JVM exits
    @SuppressWarnings("resource")
    URLClassLoader loader = new URLClassLoader(urls.toArray(new URL[0]), ExtensionJars.class.getClassLoader());
    Thread.currentThread().setContextClassLoader(loader);
    return paths;
  }
}
