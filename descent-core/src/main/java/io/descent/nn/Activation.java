package io.descent.nn;

import io.descent.ops.Activations;
import io.descent.ops.Softmax;
import io.descent.tensor.Tensor;
import java.util.function.UnaryOperator;

/**
 * Parameter-free element-wise layers (PyTorch's nn.ReLU, nn.LeakyReLU, nn.GELU, nn.Sigmoid,
 * nn.Tanh, nn.Softmax), each a named function of its input.
 */
public class Activation extends Module {
    private static final UnaryOperator<Tensor> RELU = Activations::relu;
    private final String name;
    private final UnaryOperator<Tensor> fn;

    protected Activation(String name, UnaryOperator<Tensor> fn) {
        this.name = name;
        this.fn = fn;
    }

    public static Activation relu() {
        return new Activation("ReLU", RELU);
    }

    /** Whether this is {@link #relu()} (which {@link Sequential} fuses into a preceding {@link FusesRelu} layer). */
    public boolean isRelu() {
        return fn == RELU && getClass() == Activation.class;
    }

    public static Activation leakyRelu(float negativeSlope) {
        return new Activation("LeakyReLU(" + negativeSlope + ")", x -> Activations.leakyRelu(x, negativeSlope));
    }

    /** PyTorch's default slope 0.01. */
    public static Activation leakyRelu() {
        return leakyRelu(0.01f);
    }

    /** Exact GELU ({@code approximate='none'}); {@link #geluTanh()} for the tanh form. */
    public static Activation gelu() {
        return new Activation("GELU", Activations::gelu);
    }

    public static Activation geluTanh() {
        return new Activation("GELU(tanh)", Activations::geluTanh);
    }

    public static Activation sigmoid() {
        return new Activation("Sigmoid", Activations::sigmoid);
    }

    public static Activation tanh() {
        return new Activation("Tanh", Activations::tanh);
    }

    public static Activation softmax(int dim) {
        return new Activation("Softmax(dim=" + dim + ")", x -> Softmax.softmax(x, dim));
    }

    public static Activation logSoftmax(int dim) {
        return new Activation("LogSoftmax(dim=" + dim + ")", x -> Softmax.logSoftmax(x, dim));
    }

    @Override
    public Tensor forward(Tensor x) {
        return fn.apply(x);
    }

    @Override
    public String toString() {
        return name;
    }
}
