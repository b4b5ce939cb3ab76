package io.descent.train;

/** A non-finite loss or gradient under the HALT policy; the message names the step and batch. */
public final class TrainingDivergedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public TrainingDivergedException(String message) {
        super(message);
    }
}
