package dev.streamgrad.autograd;

import java.util.Arrays;

/**
 * Arrays that one thread lends to the intermediate tensors of a computation whose results it drops
 * when the computation ends, such as one training step: forward, loss, backward, then only copies
 * of the gradients and the loss value are kept. A fresh array costs about 130 ns per KB on the
 * machines this runs on (written into cold memory, then collected), 0.7 us for a 26x26 output
 * against 25 to 50 ns to overwrite one already in the cache; two per step were a fifth of a
 * training step.
 *
 * <p>Between {@link #enter()} and the scope's {@link Scope#close()}, {@link #array(int)} on the
 * same thread lends an array from this workspace; when the scope closes every array lent in it
 * returns to the workspace, to be lent again in the next scope. Outside a scope {@link #array(int)}
 * allocates, so code that uses it works unchanged where nobody opened one (a predictor's forward,
 * whose outputs leave as predictions). Whoever opens a scope promises that no tensor made inside it
 * is used after it closes: copy what you keep.
 *
 * <p>Only the operations whose outputs are large and made once per step ask for one
 * ({@code Conv2dFunction}'s output, {@code MseLoss}'s input gradient); an extension's
 * {@link Function} allocates as before. Not thread-safe: one workspace per thread (per operator
 * instance), and scopes do not nest.
 */
public final class Workspace {
  private static final ThreadLocal<Workspace> CURRENT = new ThreadLocal<>();

  /** Returned arrays (a handful of lengths: a linear search beats boxing the length for a map), lent again first. */
  private double[][] free = new double[8][];
  private int freeCount;
  private double[][] lent = new double[8][];
  private int lentCount;
  private final Scope scope = new Scope();
  private boolean open;

  /**
   * Opens a scope on this thread: until it closes, {@link #array(int)} lends from this workspace.
   *
   * @throws IllegalStateException when this thread already has an open scope (of any workspace)
   */
  public Scope enter() {
    if (open || CURRENT.get() != null) {
      throw new IllegalStateException("a workspace scope is already open on this thread: scopes do not nest");
    }
    open = true;
    CURRENT.set(this);
    return scope;
  }

  /**
   * An array of {@code n} values for the result of an operation that writes every element: lent by
   * the scope open on this thread, else new. Its contents are unspecified (the last user's values).
   */
  public static double[] array(int n) {
    Workspace w = CURRENT.get();
    return w == null ? new double[n] : w.lend(n);
  }

  /** {@link #array(int)} as a tensor of {@code shape} (row-major, contents unspecified). */
  public static Tensor tensor(int... shape) {
    return Tensor.wrap(array(Shapes.numel(shape)), shape);
  }

  private double[] lend(int n) {
    double[] a = null;
    for (int i = freeCount - 1; i >= 0; i--) {
      if (free[i].length == n) {
        a = free[i];
        free[i] = free[--freeCount];
        free[freeCount] = null;
        break;
      }
    }
    if (a == null) {
      a = new double[n];
    }
    if (lentCount == lent.length) {
      lent = Arrays.copyOf(lent, 2 * lentCount);
    }
    lent[lentCount++] = a;
    return a;
  }

  /** The arrays lent so far in the open scope (for tests). */
  int lentCount() {
    return lentCount;
  }

  /** An open scope of its workspace: closing it takes back every array lent in it. */
  public final class Scope implements AutoCloseable {
    private Scope() {}

    @Override
    public void close() {
      if (!open) {
        return;
      }
      if (freeCount + lentCount > free.length) {
        free = Arrays.copyOf(free, 2 * (freeCount + lentCount));
      }
      System.arraycopy(lent, 0, free, freeCount, lentCount);
      freeCount += lentCount;
      Arrays.fill(lent, 0, lentCount, null);
      lentCount = 0;
      open = false;
      CURRENT.remove();
    }
  }
}
