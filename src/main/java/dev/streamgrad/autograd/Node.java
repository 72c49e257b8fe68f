package dev.streamgrad.autograd;

/**
 * One recorded {@link Function} application in the graph: the function, its context, where each
 * input's gradient goes (another node's output, a leaf to accumulate into, or nowhere), and the
 * shapes to check gradients against.
 */
final class Node {
  final Function function;
  final Context ctx;
  final Node[] nextNodes;
  final int[] nextIndices;
  final Tensor[] leaves;
  final int[][] inputShapes;
  final int[][] outputShapes;

  Node(Function function, Context ctx, Tensor[] inputs, Tensor[] outputs) {
    this.function = function;
    this.ctx = ctx;
    int n = inputs.length;
    nextNodes = new Node[n];
    nextIndices = new int[n];
    leaves = new Tensor[n];
    inputShapes = new int[n][];
    for (int i = 0; i < n; i++) {
      Tensor in = inputs[i];
      inputShapes[i] = in.shape();
      if (!in.requiresGrad()) {
        continue;
      }
      if (in.isLeaf()) {
        leaves[i] = in;
      } else {
        nextNodes[i] = in.gradFn();
        nextIndices[i] = in.outputIndex();
      }
    }
    outputShapes = new int[outputs.length][];
    for (int o = 0; o < outputs.length; o++) {
      outputShapes[o] = outputs[o].shape();
    }
  }

  String name() {
    return function.name();
  }
}
