/**
 * numpy/scipy-compatible signal kernels on JTransforms: {@link dev.streamgrad.signal.Fft}
 * ({@code numpy.fft.rfft2}/{@code irfft2} with {@code s} and every {@link dev.streamgrad.signal.Norm})
 * and {@link dev.streamgrad.signal.Correlation} ({@code scipy.signal.correlate2d}/{@code convolve2d}
 * with every {@link dev.streamgrad.signal.Mode} and {@link dev.streamgrad.signal.Boundary}, computed
 * by the {@link dev.streamgrad.signal.Method} chosen per call).
 *
 * <p>The kernels are stateless and thread-safe; they cache FFT plans per length and working buffers
 * per thread, and run single-threaded unless {@link dev.streamgrad.signal.FftThreads} (system
 * property {@code streamgrad.fft.threads}) allows more, so that inside a Flink operator they never
 * compete with the task threads. Layouts: real arrays are row-major 2-D {@code Tensor}s, half
 * spectra row-major {@link dev.streamgrad.signal.ComplexTensor}s of shape {@code [H, W/2+1]}.
 * Agreement with numpy 1.24 / scipy 1.10 is tested to 1e-10 relative against fixtures the committed
 * script {@code src/test/python/gen_signal_fixtures.py} made; speed against them in
 * {@code docs/signal-benchmarks.md}.
 */
package dev.streamgrad.signal;
