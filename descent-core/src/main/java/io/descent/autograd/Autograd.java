package io.descent.autograd;

import io.descent.tensor.Shape;
import io.descent.tensor.Tensor;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/** The backward traversal of the tape. Gradients ADD into {@code .grad}; only zeroGrad clears. */
public final class Autograd {
    private Autograd() {}

    /** Whether an op on these inputs must record a node. */
    public static boolean needsGrad(Tensor... inputs) {
        if (!GradMode.isEnabled()) return false;
        for (Tensor t : inputs) if (t != null && t.requiresGrad()) return true;
        return false;
    }

    /** Attaches {@code node} as the creator of {@code out} when any input requires grad. */
    public static Tensor record(Tensor out, Node node) {
        out.setGradFn(node);
        return out;
    }

    /**
     * Back-propagates {@code gradOutput} (same shape as {@code root}) through the tape.
     * Without {@code retainGraph} every visited node frees what it saved.
     */
    public static void backward(Tensor root, Tensor gradOutput, boolean retainGraph) {
        if (!root.requiresGrad()) {
            throw new IllegalStateException("backward: the tensor does not require grad and has no grad_fn");
        }
        if (!java.util.Arrays.equals(root.shape(), gradOutput.shape())) {
            throw new IllegalArgumentException("backward: gradient shape " + Shape.str(gradOutput.shape())
                    + " does not match the tensor's shape " + Shape.str(root.shape()));
        }
        Node start = root.gradFn() != null ? root.gradFn() : root.gradAccumulator();
        List<Node> order = topologicalOrder(start);
        Map<Node, Tensor> pending = new IdentityHashMap<>();
        GradientArrays arrays = new GradientArrays();
        pending.put(start, gradOutput);
        try (var scope = GradMode.noGrad()) {
            for (Node node : order) {
                Tensor g = pending.remove(node);
                if (g == null) continue;
                if (node instanceof AccumulateGrad acc) { // a leaf: adopt a gradient of the engine's instead of copying it
                    boolean adopt = acc.leaf.gradArray() == null && arrays.isSole(g);
                    acc.leaf.accumulateGrad(g, adopt);
                    if (adopt) arrays.handOver(g);
                    else arrays.drop(g);
                    continue;
                }
                if (node.isReleased()) {
                    throw new IllegalStateException("backward: " + node.name()
                            + " was already freed by an earlier backward(); retain the graph to call backward twice");
                }
                Tensor[] grads = node.backward(g);
                // count every input's hold first, so that an array two inputs receive is never written for one
                for (int i = 0; i < node.next.length; i++) {
                    if (node.next[i] != null && grads[i] != null) arrays.hold(grads[i], g);
                }
                for (int i = 0; i < node.next.length; i++) {
                    Node target = node.next[i];
                    if (target == null || grads[i] == null) continue;
                    Tensor prev = pending.get(target);
                    if (prev == null) {
                        pending.put(target, grads[i]);
                    } else if (arrays.isSole(prev)) {
                        prev.addInPlace(grads[i]);
                        arrays.drop(grads[i]);
                    } else if (arrays.isSole(grads[i])) { // b + a is a + b, bit for bit
                        grads[i].addInPlace(prev);
                        arrays.drop(prev);
                        pending.put(target, grads[i]);
                    } else {
                        Tensor sum = arrays.copy(prev);
                        sum.addInPlace(grads[i]);
                        arrays.drop(prev);
                        arrays.drop(grads[i]);
                        pending.put(target, sum);
                    }
                }
                arrays.drop(g);
                if (!retainGraph) node.release();
            }
        }
    }

    /** Nodes reachable from {@code start}, each after every node that feeds it a gradient. */
    private static List<Node> topologicalOrder(Node start) {
        Map<Node, Boolean> visited = new IdentityHashMap<>();
        List<Node> post = new ArrayList<>();
        // iterative DFS (deep nets would overflow a recursive one)
        ArrayDeque<Object[]> stack = new ArrayDeque<>();
        stack.push(new Object[] {start, 0});
        visited.put(start, Boolean.TRUE);
        while (!stack.isEmpty()) {
            Object[] frame = stack.peek();
            Node n = (Node) frame[0];
            int i = (Integer) frame[1];
            if (i < n.next.length) {
                frame[1] = i + 1;
                Node child = n.next[i];
                if (child != null && visited.put(child, Boolean.TRUE) == null) stack.push(new Object[] {child, 0});
            } else {
                stack.pop();
                post.add(n);
            }
        }
        java.util.Collections.reverse(post);
        return post;
    }
}
