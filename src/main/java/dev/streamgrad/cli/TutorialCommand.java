package dev.streamgrad.cli;

import dev.streamgrad.autograd.Gradcheck;
import dev.streamgrad.autograd.Tensor;
import dev.streamgrad.layers.BadFft;
import dev.streamgrad.layers.Conv2d;
import dev.streamgrad.layers.FftMagnitude;
import dev.streamgrad.nn.Parameter;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * Performs the steps of PyTorch's tutorial "Creating extensions using numpy and scipy" in order and
 * prints what the tutorial prints, then what the tutorial leaves out (the odd-width BadFFT error and
 * the correct FFT-magnitude gradient).
 */
@Command(name = "tutorial", mixinStandardHelpOptions = true,
    description = "Walk through the PyTorch numpy/scipy extension tutorial with streamgrad's layers.")
public final class TutorialCommand implements Callable<Integer> {
  @Option(names = "--seed", defaultValue = "0", description = "Seed for every random tensor (default: ${DEFAULT-VALUE}).")
  long seed;

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    Random rng = new Random(seed);

    heading(out, "1. Parameter-less example: BadFFT (forward abs(rfft2(x)), backward irfft2(grad))");
    out.println(">>> input = torch.randn(8, 8, requires_grad=True)");
    Tensor input = Tensor.randn(rng, 8, 8).requiresGrad(true);
    out.println(">>> result = incorrect_fft(input); print(result)");
    Tensor result = new BadFft().forward(input);
    out.println(result);
    out.println(">>> result.backward(torch.randn(result.size())); print(input)");
    result.backward(Tensor.randn(rng, result.shape()));
    out.println(input);
    out.println("input.grad (irfft2 of the output gradient, which is not the true gradient):");
    out.println(input.grad());

    heading(out, "2. Parametrized example: ScipyConv2d (correlate2d(input, filter, 'valid') + bias)");
    out.println(">>> module = ScipyConv2d(3, 3)");
    Conv2d module = new Conv2d(3, 3, rng.nextLong());
    List<Parameter> params = new ArrayList<>(module.parameters());
    out.println("Filter and bias:  " + params);
    out.println(">>> input = torch.randn(10, 10, requires_grad=True); output = module(input)");
    Tensor convInput = Tensor.randn(rng, 10, 10).requiresGrad(true);
    Tensor output = module.forward(convInput);
    out.println("Output from the convolution:  " + output);
    out.println(">>> output.backward(torch.randn(8, 8))");
    output.backward(Tensor.randn(rng, 8, 8));
    out.println("Gradient for the input map:  " + convInput.grad());

    heading(out, "3. Check the gradients: gradcheck(moduleConv, [randn(20, 20, double)], eps=1e-6, atol=1e-4)");
    Conv2d moduleConv = new Conv2d(3, 3, rng.nextLong());
    Tensor checkInput = Tensor.randn(rng, 20, 20).requiresGrad(true);
    boolean correct = Gradcheck.withDefaults().eps(1e-6).atol(1e-4)
        .check(inputs -> new Tensor[] {moduleConv.forward(inputs[0])}, checkInput);
    out.println("Are the gradients correct:  " + correct);

    heading(out, "4. Beyond the tutorial");
    out.println("BadFFT on a 7x7 input: the backward returns a 7x6 gradient for a 7x7 input.");
    Tensor odd = Tensor.randn(rng, 7, 7).requiresGrad(true);
    Tensor oddOut = new BadFft().forward(odd);
    try {
      oddOut.backward(Tensor.randn(rng, oddOut.shape()));
      out.println("unexpected: the engine accepted it");
    } catch (IllegalStateException e) {
      out.println("RuntimeError: " + e.getMessage());
    }
    Tensor fftInput = Tensor.randn(rng, 7, 7).requiresGrad(true);
    boolean fftCorrect = Gradcheck.withDefaults().raiseException(false)
        .check(inputs -> new Tensor[] {new FftMagnitude().forward(inputs[0])}, fftInput);
    boolean badCorrect = Gradcheck.withDefaults().raiseException(false)
        .check(inputs -> new Tensor[] {new BadFft().forward(inputs[0])}, Tensor.randn(rng, 8, 8).requiresGrad(true));
    out.println("gradcheck(BadFFT, 8x8):        " + badCorrect);
    out.println("gradcheck(FftMagnitude, 7x7):  " + fftCorrect);
    out.flush();
    return correct && fftCorrect && !badCorrect ? 0 : 1;
  }

  private static void heading(PrintWriter out, String title) {
    out.println();
    out.println("== " + title);
  }
}
