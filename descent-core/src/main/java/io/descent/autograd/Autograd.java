package io.descent.autograd;

import io.descent.tensor.BufferPool;
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
        Map<Node, Boolean> owned = new IdentityHashMap<>();
        pending.put(start, gradOutput);
        try (var scope = GradMode.noGrad()) {
            for (Node node : order) {
                Tensor g = pending.remove(node);
                boolean gOwned = owned.remove(node) != null;
                if (g == null) continue;
                if (node instanceof AccumulateGrad acc) { // a leaf: adopt an owned gradient instead of copying it
                    boolean adds = acc.leaf.gradArray() != null;
                    acc.leaf.accumulateGrad(g, gOwned);
                    if (adds && gOwned) recycle(g);
                    continue;
                }
                if (node.isReleased()) {
                    throw new IllegalStateException("backward: " + node.name()
                            + " was already freed by an earlier backward(); retain the graph to call backward twice");
                }
                Tensor[] grads = node.backward(g);
                if (gOwned && !returned(grads, g.data())) recycle(g);
                for (int i = 0; i < node.next.length; i++) {
                    Node target = node.next[i];
                    if (target == null || grads[i] == null) continue;
                    Tensor prev = pending.get(target);
                    if (prev == null) {
                        pending.put(target, grads[i]);
                        if (fresh(grads, i, g)) owned.put(target, Boolean.TRUE);
                    } else if (owned.containsKey(target)) {
                        prev.addInPlace(grads[i]);
                        if (fresh(grads, i, g)) recycle(grads[i]);
                    } else if (fresh(grads, i, g)) {
                        // the first gradient may alias another node's tensor, but this one owns
                        // its array: add the first into it (b + a is a + b, bit for bit), no copy
                        grads[i].addInPlace(prev);
                        pending.put(target, grads[i]);
                        owned.put(target, Boolean.TRUE);
                    } else {
                        // the first gradient may alias another node's tensor: copy before adding
                        Tensor sum = prev.copy();
                        sum.addInPlace(grads[i]);
                        if (fresh(grads, i, g)) recycle(grads[i]);
                        pending.put(target, sum);
                        owned.put(target, Boolean.TRUE);
                    }
                }
                if (!retainGraph && !(node instanceof AccumulateGrad)) node.release();
            }
        }
    }

    /**
     * Whether {@code grads[i]} owns its array: not the incoming gradient's array (a pass-through
     * or a view of it) and not shared with another returned gradient. Such a gradient may be
     * added into in place, or adopted as a leaf's {@code .grad}, without a copy.
     */
    private static boolean fresh(Tensor[] grads, int i, Tensor incoming) {
        float[] d = grads[i].data();
        if (d == incoming.data()) return false;
        for (int j = 0; j < grads.length; j++) if (j != i && grads[j] != null && grads[j].data() == d) return false;
        return true;
    }

    /** Whether one of {@code grads} shares the array {@code d}. */
    private static boolean returned(Tensor[] grads, float[] d) {
        for (Tensor t : grads) if (t != null && t.data() == d) return true;
        return false;
    }

    /**
     * Hands a consumed gradient's array back to {@link BufferPool}: only one the engine owns
     * (no other tensor shares it; see {@link #fresh}) and that came from the pool, so no array
     * user code can reach is ever reused.
     */
    private static void recycle(Tensor g) {
        if (g.isRecyclable()) BufferPool.give(g.data());
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
