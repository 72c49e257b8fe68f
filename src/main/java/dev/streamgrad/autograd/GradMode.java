package dev.streamgrad.autograd;

/**
 * Per-thread switch for graph recording, like {@code torch.no_grad()}. Use with
 * try-with-resources:
 *
 * <pre>{@code
 * try (GradMode.Scope ignored = GradMode.noGrad()) {
 *   Tensor y = model.forward(x); // no graph is recorded
 * }
 * }</pre>
 *
 * <p>With {@code -Xlint:try} javac warns that {@code ignored} is never referenced; declaring the
 * scope first and writing {@code try (scope) { ... }} avoids the warning, as streamgrad's own code
 * does.
 *
 * <p>Per thread because Flink runs each operator instance on its own task thread.
 */
public final class GradMode {
  private static final ThreadLocal<boolean[]> ENABLED = ThreadLocal.withInitial(() -> new boolean[] {true});

  private GradMode() {}

  /** Whether operations on this thread currently record a graph. */
  public static boolean isEnabled() {
    return ENABLED.get()[0];
  }

  /** Disables graph recording on this thread until the returned scope is closed. */
  public static Scope noGrad() {
    return set(false);
  }

  /** Enables graph recording on this thread until the returned scope is closed. */
  public static Scope enableGrad() {
    return set(true);
  }

  private static Scope set(boolean enabled) {
    boolean[] flag = ENABLED.get();
    boolean previous = flag[0];
    flag[0] = enabled;
    return () -> flag[0] = previous;
  }

  /** Restores the previous mode on close; never throws. */
  @FunctionalInterface
  public interface Scope extends AutoCloseable {
    @Override
    void close();
  }
}
