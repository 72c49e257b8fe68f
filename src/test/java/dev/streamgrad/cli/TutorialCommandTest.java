package dev.streamgrad.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class TutorialCommandTest {

  private static String run(String... args) {
    StringWriter text = new StringWriter();
    CommandLine cli = Cli.commandLine();
    cli.setOut(new PrintWriter(text));
    int code = cli.execute(args);
    assertThat(code).as("exit code; output:%n%s", text).isZero();
    return text.toString();
  }

  @Test
  void walksThroughTheTutorialStepsInOrderAndPrintsWhatTheyPrint() {
    String out = run("tutorial", "--seed", "3");

    assertThat(out).containsSubsequence(
        "1. Parameter-less example", "tensor([[", "requires_grad=True)",
        "2. Parametrized example", "Filter and bias:  [Parameter containing:",
        "requires_grad=True), Parameter containing:", "Output from the convolution:  tensor([[",
        "grad_fn=<Conv2dFunctionBackward>)", "Gradient for the input map:  tensor([[",
        "3. Check the gradients", "Are the gradients correct:  true",
        "4. Beyond the tutorial",
        "returned an invalid gradient at index 0 - got [7, 6] but expected shape compatible with [7, 7]",
        "gradcheck(BadFFT, 8x8):        false", "gradcheck(FftMagnitude, 7x7):  true");
  }

  @Test
  void theSameSeedPrintsTheSameWalkthrough() {
    assertThat(run("tutorial", "--seed", "11")).isEqualTo(run("tutorial", "--seed", "11"));
  }
}
