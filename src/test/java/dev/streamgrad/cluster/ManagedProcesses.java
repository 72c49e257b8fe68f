package dev.streamgrad.cluster;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Every process a test starts, so that all of them end even when the test fails or the JVM is
 * interrupted: {@link #close} (called from the test's finally) ends them in reverse order, and a
 * shutdown hook does the same if the JVM exits first.
 */
final class ManagedProcesses implements AutoCloseable {
  private final List<Process> processes = new ArrayList<>();
  private final List<String> names = new ArrayList<>();
  private final Thread hook = new Thread(this::stopAll, "stop-test-processes");

  ManagedProcesses() {
    Runtime.getRuntime().addShutdownHook(hook);
  }

  /** Starts {@code command} with stdout and stderr appended to {@code log}. */
  synchronized Process start(String name, List<String> command, Path workDir, Path log) throws IOException {
    ProcessBuilder pb = new ProcessBuilder(command)
        .directory(workDir.toFile())
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    Process p = pb.start();
    processes.add(p);
    names.add(name);
    return p;
  }

  /** kill -9: no chance to clean up, as a crashed machine. */
  static void kill9(Process p) throws InterruptedException {
    p.destroyForcibly();
    if (!p.waitFor(30, TimeUnit.SECONDS)) {
      throw new IllegalStateException("process " + p.pid() + " survived SIGKILL");
    }
  }

  private synchronized void stopAll() {
    for (int i = processes.size() - 1; i >= 0; i--) {
      Process p = processes.get(i);
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroy();
    }
    for (int i = processes.size() - 1; i >= 0; i--) {
      Process p = processes.get(i);
      try {
        if (!p.waitFor(10, TimeUnit.SECONDS)) {
          p.destroyForcibly();
          p.waitFor(10, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        p.destroyForcibly();
        Thread.currentThread().interrupt();
      }
    }
    processes.clear();
    names.clear();
  }

  /** Names and pids of the processes still running, for messages. */
  synchronized String describe() {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < processes.size(); i++) {
      sb.append(names.get(i)).append(" pid ").append(processes.get(i).pid())
          .append(processes.get(i).isAlive() ? " alive" : " exited " + processes.get(i).exitValue()).append('\n');
    }
    return sb.toString();
  }

  @Override
  public void close() {
    stopAll();
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException e) {
      // the JVM is already shutting down and runs the hook itself
    }
  }
}
