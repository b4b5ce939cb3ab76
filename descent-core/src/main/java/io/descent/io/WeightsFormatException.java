package io.descent.io;

import java.io.IOException;

/**
 * A weights file (safetensors, PyTorch zip/pickle, or the JSON inside them) that is malformed,
 * truncated or hostile. Thrown before any tensor the file claims is allocated; the message names
 * the file, the key and the problem.
 */
public final class WeightsFormatException extends IOException {
    private static final long serialVersionUID = 1L;

    public WeightsFormatException(String message) {
        super(message);
    }

    public WeightsFormatException(String message, Throwable cause) {
        super(message, cause);
    }

    /** Longest piece of file-provided text (a key, a name) that goes into a message. */
    static final int MAX_NAME_CHARS = 200;

    /** File-provided text cut to {@value #MAX_NAME_CHARS} characters, so a hostile name cannot make a huge message. */
    static String clip(Object text) {
        String s = String.valueOf(text);
        return s.length() <= MAX_NAME_CHARS ? s : s.substring(0, MAX_NAME_CHARS) + "...";
    }

    /** {@link #clip}ped text in single quotes. */
    static String quote(Object text) {
        return "'" + clip(text) + "'";
    }
}
