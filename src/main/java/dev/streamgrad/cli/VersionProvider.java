package dev.streamgrad.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;

/**
 * {@code --version} of every command: streamgrad's version and the Flink version it was built
 * with, both from the pom (the filtered resource {@code version.properties}), and the running
 * Java. Loads no Flink class, so it answers as fast as {@code --help}.
 */
final class VersionProvider implements IVersionProvider {
  @Override
  public String[] getVersion() throws IOException {
    Properties p = new Properties();
    try (InputStream in = VersionProvider.class.getResourceAsStream("version.properties")) {
      if (in != null) {
        p.load(in);
      }
    }
    return new String[] {
        "streamgrad " + p.getProperty("version", "(unknown version)"),
        "Flink " + p.getProperty("flink.version", "(unknown)") + ", Java " + System.getProperty("java.version")
            + " (" + System.getProperty("java.vm.name") + ")"};
  }
}
