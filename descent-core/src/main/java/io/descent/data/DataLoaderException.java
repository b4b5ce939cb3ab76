package io.descent.data;

/**
 * A failure while loading a batch, thrown on the training thread. The message names the data
 * set index (or the batch) that failed and the epoch; the cause is the worker's exception.
 */
public final class DataLoaderException extends RuntimeException {
    public DataLoaderException(String message, Throwable cause) {
        super(message, cause);
    }
}
