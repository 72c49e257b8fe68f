package dev.streamgrad.autograd;

/**
 * The row-major values behind one or more tensors (a tensor and its reshaped views share one), with
 * the version counter that in-place writes bump so that autograd can detect a saved tensor that was
 * modified before backward.
 */
final class Storage {
  final double[] data;
  private int version;

  Storage(double[] data) {
    this.data = data;
  }

  int version() {
    return version;
  }

  void bumpVersion() {
    version++;
  }
}
