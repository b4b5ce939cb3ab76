package io.descent.data;

/** A data set is not where it was looked for; the message lists the places and how to get it. */
public final class DataNotFoundException extends RuntimeException {
    public DataNotFoundException(String message) {
        super(message);
    }
}
