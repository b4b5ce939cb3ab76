package io.descent.log;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Encodes and decodes the two TensorBoard messages Descent writes, by field number:
 *
 * <pre>
 * // tensorflow/core/util/event.proto
 * message Event   { double wall_time = 1; int64 step = 2;
 *                   oneof what { string file_version = 3; Summary summary = 5;
 *                                SessionLog session_log = 6; ... } }
 * message SessionLog { SessionStatus status = 1; ... }   // enum SessionStatus { ...; START = 1; ... }
 * // tensorflow/core/framework/summary.proto
 * message Summary { repeated Value value = 1;
 *                   message Value { string tag = 1; oneof value { float simple_value = 2; ... } } }
 * </pre>
 *
 * Both are proto3 messages, so a field holding its default (step 0) may be left out; readers
 * take a missing field as its default. A {@code SessionLog} with status START at step {@code s}
 * tells TensorBoard that training restarted from step {@code s}: it drops the events it has
 * with a step of {@code s} or more (PyTorch's {@code SummaryWriter(purge_step=s)} writes the
 * same event). Decoding skips every other field (graphs, histograms,
 * images, tensor-valued summaries), which is what makes files written by other tools readable.
 */
final class EventProto {
    /** The {@code file_version} of the first event: the record format TensorBoard expects. */
    static final String FILE_VERSION = "brain.Event:2";

    private static final int EVENT_WALL_TIME = 1;
    private static final int EVENT_STEP = 2;
    private static final int EVENT_FILE_VERSION = 3;
    private static final int EVENT_SUMMARY = 5;
    private static final int EVENT_SESSION_LOG = 6;
    private static final int SESSION_LOG_STATUS = 1;
    private static final int SESSION_STATUS_START = 1;
    private static final int SUMMARY_VALUE = 1;
    private static final int VALUE_TAG = 1;
    private static final int VALUE_SIMPLE_VALUE = 2;

    /**
     * A decoded event: the file version (null unless this is the version event), whether it
     * marks a session (re)start, and its scalars.
     */
    record Event(double wallTime, long step, String fileVersion, boolean sessionStart, List<ScalarEvent> scalars) {}

    private EventProto() {}

    /** The first event of every file: {@code Event{wall_time, file_version: "brain.Event:2"}}. */
    static byte[] fileVersion(double wallTime) {
        return new ProtoWriter().double64(EVENT_WALL_TIME, wallTime).string(EVENT_FILE_VERSION, FILE_VERSION).toByteArray();
    }

    /** {@code Event{wall_time, step, summary: Summary{value: [Value{tag, simple_value}]}}}. */
    static byte[] scalar(double wallTime, long step, String tag, float value) {
        byte[] v = new ProtoWriter().string(VALUE_TAG, tag).float32(VALUE_SIMPLE_VALUE, value).toByteArray();
        byte[] summary = new ProtoWriter().bytes(SUMMARY_VALUE, v).toByteArray();
        ProtoWriter event = new ProtoWriter().double64(EVENT_WALL_TIME, wallTime);
        if (step != 0) event.int64(EVENT_STEP, step);
        return event.bytes(EVENT_SUMMARY, summary).toByteArray();
    }

    /** {@code Event{wall_time, step, session_log: SessionLog{status: START}}}. */
    static byte[] sessionStart(double wallTime, long step) {
        byte[] log = new ProtoWriter().int64(SESSION_LOG_STATUS, SESSION_STATUS_START).toByteArray();
        ProtoWriter event = new ProtoWriter().double64(EVENT_WALL_TIME, wallTime);
        if (step != 0) event.int64(EVENT_STEP, step);
        return event.bytes(EVENT_SESSION_LOG, log).toByteArray();
    }

    static Event decode(byte[] data) throws IOException {
        ProtoReader r = new ProtoReader(data);
        double wallTime = 0;
        long step = 0;
        String fileVersion = null;
        boolean sessionStart = false;
        List<ProtoReader> summaries = new ArrayList<>();
        for (int f; (f = r.next()) != -1; ) {
            switch (f) {
                case EVENT_WALL_TIME -> wallTime = r.double64();
                case EVENT_STEP -> step = r.int64();
                case EVENT_FILE_VERSION -> fileVersion = r.string();
                case EVENT_SUMMARY -> summaries.add(r.message());
                case EVENT_SESSION_LOG -> sessionStart = isStart(r.message());
                default -> r.skip();
            }
        }
        List<ScalarEvent> scalars = new ArrayList<>();
        for (ProtoReader summary : summaries) {
            for (int f; (f = summary.next()) != -1; ) {
                if (f == SUMMARY_VALUE) decodeValue(summary.message(), step, wallTime, scalars);
                else summary.skip();
            }
        }
        return new Event(wallTime, step, fileVersion, sessionStart, List.copyOf(scalars));
    }

    private static boolean isStart(ProtoReader sessionLog) throws IOException {
        boolean start = false;
        for (int f; (f = sessionLog.next()) != -1; ) {
            if (f == SESSION_LOG_STATUS) start = sessionLog.int64() == SESSION_STATUS_START;
            else sessionLog.skip();
        }
        return start;
    }

    /** Adds the value if it is a {@code simple_value}; other kinds of summary are skipped. */
    private static void decodeValue(ProtoReader value, long step, double wallTime, List<ScalarEvent> into) throws IOException {
        String tag = "";
        Float simple = null;
        for (int f; (f = value.next()) != -1; ) {
            switch (f) {
                case VALUE_TAG -> tag = value.string();
                case VALUE_SIMPLE_VALUE -> simple = value.float32();
                default -> value.skip();
            }
        }
        if (simple != null) into.add(new ScalarEvent(tag, step, wallTime, simple));
    }
}
