package dev.streamgrad.autograd;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Runs backward: visits the graph's nodes in reverse topological order, calls each function's
 * backward once all gradients for its outputs are summed, checks every returned gradient's shape,
 * and accumulates into leaves. Gradients are computed with grad mode off (no double backward).
 */
final class Engine {
  private Engine() {}

  /**
   * Backpropagates {@code grads} (a null entry means "undefined", as PyTorch's None) from
   * {@code roots}. Saved tensors are freed afterwards unless {@code retainGraph}.
   */
  static void backward(Tensor[] roots, Tensor[] grads, boolean retainGraph) {
    Map<Node, Tensor[]> buffers = new IdentityHashMap<>();
    List<Node> starts = new ArrayList<>();
    for (int r = 0; r < roots.length; r++) {
      Tensor root = roots[r];
      Tensor grad = grads[r];
      if (!root.requiresGrad()) {
        throw new IllegalStateException("element " + r + " of tensors does not require grad and does not"
            + " have a grad_fn");
      }
      if (grad != null && !Shapes.same(root.shape(), grad.shape())) {
        throw new IllegalArgumentException("Mismatch in shape: grad_output[" + r + "] has a shape of "
            + Shapes.format(grad.shape()) + " and output[" + r + "] has a shape of "
            + Shapes.format(root.shape()) + ".");
      }
      if (root.isLeaf()) {
        if (grad != null) {
          accumulate(root, grad);
        }
        continue;
      }
      Node node = root.gradFn();
      Tensor[] buffer = buffers.computeIfAbsent(node, n -> new Tensor[n.outputShapes.length]);
      buffer[root.outputIndex()] = add(buffer[root.outputIndex()], grad);
      starts.add(node);
    }
    GradMode.Scope noGrad = GradMode.noGrad();
    try (noGrad) {
      for (Node node : topologicalOrder(starts)) {
        Tensor[] gradOutputs = buffers.remove(node);
        if (gradOutputs == null) {
          continue; // nothing flowed into this node
        }
        run(node, gradOutputs, buffers);
        if (!retainGraph) {
          node.ctx.release();
        }
      }
    }
  }

  private static void run(Node node, Tensor[] gradOutputs, Map<Node, Tensor[]> buffers) {
    if (node.ctx.materializeGrads()) {
      for (int o = 0; o < gradOutputs.length; o++) {
        if (gradOutputs[o] == null) {
          gradOutputs[o] = Tensor.zeros(node.outputShapes[o]);
        }
      }
    }
    Tensor[] gradInputs = node.function.backward(node.ctx, gradOutputs);
    int expected = node.inputShapes.length;
    if (gradInputs == null || gradInputs.length != expected) {
      throw new IllegalStateException("function " + node.name() + " returned an incorrect number of"
          + " gradients (expected " + expected + ", got " + (gradInputs == null ? 0 : gradInputs.length) + ")");
    }
    for (int i = 0; i < expected; i++) {
      boolean wanted = node.leaves[i] != null || node.nextNodes[i] != null;
      Tensor g = gradInputs[i];
      if (!wanted) {
        continue;
      }
      if (g != null) {
        g = validate(node, i, g);
      }
      if (node.leaves[i] != null) {
        if (g != null) {
          accumulate(node.leaves[i], g);
        }
      } else {
        Node next = node.nextNodes[i];
        Tensor[] buffer = buffers.computeIfAbsent(next, n -> new Tensor[n.outputShapes.length]);
        int index = node.nextIndices[i];
        buffer[index] = add(buffer[index], g);
      }
    }
  }

  /** PyTorch's validate_outputs: same shape, or a shape the input broadcasts to, summed back to the input's. */
  private static Tensor validate(Node node, int i, Tensor g) {
    int[] expected = node.inputShapes[i];
    int[] got = g.shape();
    if (Shapes.same(expected, got)) {
      return g;
    }
    if (!Shapes.isExpandableTo(expected, got)) {
      throw new IllegalStateException("Function " + node.name() + " returned an invalid gradient at index "
          + i + " - got " + Shapes.format(got) + " but expected shape compatible with "
          + Shapes.format(expected));
    }
    return sumTo(g, expected);
  }

  /** Sums {@code g} over the dimensions in which {@code shape} was broadcast. */
  static Tensor sumTo(Tensor g, int[] shape) {
    int[] gs = g.shape();
    double[] out = new double[Shapes.numel(shape)];
    double[] src = g.buffer();
    int[] index = new int[gs.length];
    int lead = gs.length - shape.length;
    for (int k = 0; k < src.length; k++) {
      int off = 0;
      for (int d = 0; d < shape.length; d++) {
        int v = shape[d] == 1 ? 0 : index[lead + d];
        off = off * shape[d] + v;
      }
      out[off] += src[k];
      for (int d = gs.length - 1; d >= 0; d--) {
        if (++index[d] < gs[d]) {
          break;
        }
        index[d] = 0;
      }
    }
    return Tensor.wrap(out, shape);
  }

  private static Tensor add(Tensor acc, Tensor g) {
    if (acc == null) {
      return g;
    }
    if (g == null) {
      return acc;
    }
    double[] a = acc.buffer();
    double[] b = g.buffer();
    double[] sum = new double[a.length];
    for (int k = 0; k < a.length; k++) {
      sum[k] = a[k] + b[k];
    }
    return Tensor.wrap(sum, acc.shape());
  }

  private static void accumulate(Tensor leaf, Tensor g) {
    Tensor current = leaf.grad();
    // Out of place, so a gradient tensor handed out earlier is never changed under its holder.
    leaf.setGrad(current == null ? g.copy() : add(current, g));
  }

  /** Nodes reachable from {@code starts}, each after every node that feeds it a gradient. */
  private static List<Node> topologicalOrder(List<Node> starts) {
    Set<Node> visited = Collections.newSetFromMap(new IdentityHashMap<>());
    List<Node> postOrder = new ArrayList<>();
    Deque<Object[]> stack = new ArrayDeque<>();
    for (Node start : starts) {
      if (!visited.add(start)) {
        continue;
      }
      stack.push(new Object[] {start, 0});
      while (!stack.isEmpty()) {
        Object[] frame = stack.peek();
        Node node = (Node) frame[0];
        int next = (Integer) frame[1];
        if (next < node.nextNodes.length) {
          frame[1] = next + 1;
          Node child = node.nextNodes[next];
          if (child != null && visited.add(child)) {
            stack.push(new Object[] {child, 0});
          }
        } else {
          stack.pop();
          postOrder.add(node);
        }
      }
    }
    Collections.reverse(postOrder);
    return postOrder;
  }
}
