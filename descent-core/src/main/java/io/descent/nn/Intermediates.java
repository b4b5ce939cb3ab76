package io.descent.nn;

import io.descent.autograd.Autograd;
import io.descent.autograd.SavedArrays;
import io.descent.ops.Arithmetic;
import io.descent.kernels.BufferPool;
import io.descent.tensor.Tensor;
import java.util.Set;

/**
 * The activations that one forward pass through a chain of layers makes and then consumes,
 * handed back to {@link BufferPool} once nothing can read them any more, as PyTorch's caching
 * allocator gets them back through reference counts: at once when no autograd node saved them
 * (inference, a frozen backbone, or an activation backward does not need), else when the last
 * node that saved one has run backward ({@link SavedArrays}). A step then cycles through the
 * same arrays instead of allocating, zeroing and faulting in every activation afresh: a
 * batch-8 resnet50 forward pass allocated ~600 MB on the calling thread, serial time that would
 * be a third of the pass on 16 cores (docs/PERFORMANCE.md).
 *
 * <p>The JVM cannot count references, so an array goes back only when all of this holds:
 * <ol>
 *   <li>it was made during this pass by a layer of a {@linkplain #known known} class, which
 *       returns either a fresh array or its input's own (a view) and keeps neither (its autograd
 *       node aside, which keeps what it needs through {@code save}, and so is counted);</li>
 *   <li>the layers that read it are of known classes too, so nothing else still holds it;</li>
 *   <li>their output does not share it (a view carries it on to the next layer instead).</li>
 * </ol>
 * The chain's input belongs to the caller and its output to whoever receives it: neither is
 * ever given back. A subclass, or any other module, is assumed to keep what it is given.
 */
public final class Intermediates {
    /** Layers whose forward keeps no reference to its input or output (autograd nodes aside) and returns a fresh array or its input's. */
    private static final Set<Class<?>> KNOWN = Set.of(Conv2d.class, ConvTranspose2d.class, BatchNorm.class, Activation.class, MaxPool2d.class,
            AvgPool2d.class, AdaptiveAvgPool2d.class, Linear.class, Flatten.class, Unflatten.class, Identity.class, Dropout.class, Upsample.class);

    /**
     * A final module class whose forward, like the known layers', keeps no reference to its
     * input, its output or anything in between, and returns a fresh array or its input's: it is
     * known when its children are (the ResNet blocks). Sequential is, unless subclassed.
     */
    public interface Known {}

    private static volatile boolean enabled = !"false".equals(System.getProperty("descent.recycleActivations"));

    private final float[] input;
    private float[] owned;

    /**
     * Turns recycling on or off for every chain ({@code -Ddescent.recycleActivations=false} starts
     * with it off): off, every activation is left to the GC, as before this class existed.
     */
    public static void setEnabled(boolean on) {
        enabled = on;
    }

    /** Whether {@link #setEnabled} allows recycling. */
    public static boolean isEnabled() {
        return enabled;
    }

    /** A chain that starts from {@code input}. */
    public Intermediates(Tensor input) {
        this.input = input.data();
    }

    /** Whether every one of {@code layers} is of a known class (containers: with known contents). */
    public static boolean known(Module... layers) {
        for (Module m : layers) {
            if (m == null) continue;
            Class<?> c = m.getClass();
            if (c == Sequential.class || m instanceof Known && java.lang.reflect.Modifier.isFinal(c.getModifiers())) {
                for (Module child : m.children().values()) if (!known(child)) return false;
            } else if (!KNOWN.contains(c)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Records that {@code layers} ({@link #known} or not) computed {@code out} from {@code in},
     * the latest tensor of this chain, and gives {@code in}'s array back to the pool when that is
     * safe (see the class comment). Returns {@code out}.
     */
    public Tensor next(Tensor in, Tensor out, Module... layers) {
        float[] a = in.data(), b = out.data();
        boolean known = known(layers);
        if (b == a) { // a view: the array goes on, unless a layer that may keep it saw it
            if (!known) owned = null;
            return out;
        }
        if (a == owned && known) SavedArrays.giveBack(a);
        owned = enabled && known && b != input ? b : null;
        return out;
    }

    /**
     * {@code relu(sum + other)} where {@code sum} is this chain's latest tensor and {@code other}
     * came from the chain's input through {@code otherLayers} (none: it is the input). Written
     * over {@code sum} when this chain made it and nothing needs a gradient; otherwise into a new
     * array, after which {@code sum} is given back. {@code other} goes back too when
     * {@code otherLayers} are known and made it.
     */
    public Tensor addRelu(Tensor sum, Tensor other, Module... otherLayers) {
        float[] a = sum.data(), b = other.data();
        boolean mine = a == owned && a != b;
        boolean otherMine = enabled && otherLayers.length > 0 && b != input && b != a && known(otherLayers);
        Tensor out;
        if (mine && !Autograd.needsGrad(sum, other)) {
            out = Arithmetic.addReluInPlace(sum, other);
        } else {
            out = Arithmetic.addRelu(sum, other);
            if (mine) SavedArrays.giveBack(a);
            owned = out.data(); // a fresh array: the chain's, should it go on
        }
        if (otherMine) SavedArrays.giveBack(b);
        return out;
    }
}
