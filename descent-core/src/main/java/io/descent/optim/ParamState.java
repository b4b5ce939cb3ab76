package io.descent.optim;

import io.descent.tensor.Tensor;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The state an optimizer keeps for one parameter, under PyTorch's names: float32 buffers
 * ({@code momentum_buffer}, {@code exp_avg}, {@code exp_avg_sq}, {@code max_exp_avg_sq},
 * {@code sum}, {@code square_avg}, {@code grad_avg}, {@code acc_delta}, {@code exp_inf},
 * {@code mu_product}) and, for the optimizers that count them, the number of updates this
 * parameter has received ({@code step}).
 */
public final class ParamState {
    private long step;
    private final LinkedHashMap<String, Tensor> tensors = new LinkedHashMap<>();

    ParamState() {}

    /** Updates this parameter has received (counted by the optimizers whose state has {@code step}). */
    public long step() {
        return step;
    }

    /** Increments and returns the step count (PyTorch's {@code step_t += 1}). */
    long nextStep() {
        return ++step;
    }

    void setStep(long step) {
        this.step = step;
    }

    /** The buffer {@code name}, or {@code null} when it was not created yet. */
    public Tensor get(String name) {
        return tensors.get(name);
    }

    public boolean has(String name) {
        return tensors.containsKey(name);
    }

    /** All buffers by name (read-only view). */
    public Map<String, Tensor> tensors() {
        return Collections.unmodifiableMap(tensors);
    }

    /** The buffer {@code name}, created filled with {@code init} and shaped like {@code param} on first use. */
    float[] buffer(String name, Tensor param, float init) {
        Tensor t = tensors.get(name);
        if (t == null) {
            t = init == 0f ? Tensor.zeros(param.shape()) : Tensor.full(init, param.shape());
            tensors.put(name, t);
        }
        return t.data();
    }

    /** The buffer {@code name}, created as zeros shaped like {@code param} on first use. */
    float[] buffer(String name, Tensor param) {
        return buffer(name, param, 0f);
    }

    void put(String name, Tensor value) {
        tensors.put(name, value);
    }
}
