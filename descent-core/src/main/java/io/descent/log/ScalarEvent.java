package io.descent.log;

/**
 * One scalar as TensorBoard stores it: a tag, the training step it belongs to, the wall time it
 * was written (seconds since the Unix epoch) and the value, which TensorBoard keeps as a
 * 32-bit float ({@code Summary.Value.simple_value}).
 */
public record ScalarEvent(String tag, long step, double wallTime, float value) {}
