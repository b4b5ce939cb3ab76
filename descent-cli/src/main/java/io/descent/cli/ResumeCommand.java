package io.descent.cli;

import io.descent.io.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code descent resume runs/NAME}: continues a run from its last checkpoint with the flags it
 * was started with (kept in config.json), bit-identically to a run that never stopped.
 */
@Command(name = "resume", mixinStandardHelpOptions = true, description = "Continue a run from its checkpoint (same flags as it was started with).")
public final class ResumeCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "RUN_DIR", description = "The run folder, e.g. runs/small-cnn-shapes-1700000000.")
    Path runDir;

    @Override
    public Integer call() throws Exception {
        Path config = runDir.resolve("config.json"), state = runDir.resolve("checkpoint").resolve("state.safetensors");
        if (!Files.isRegularFile(config) || !Files.isRegularFile(state)) {
            throw new IllegalArgumentException(runDir + " is not a resumable run folder (needs config.json and checkpoint/state.safetensors)");
        }
        if (!(Json.parse(Files.readString(config)) instanceof Map<?, ?> m) || !(m.get("argv") instanceof List<?> argv)) {
            throw new IllegalArgumentException(config + " does not record the training flags ('argv'); was it written by descent train?");
        }
        List<String> args = new ArrayList<>();
        for (Object a : argv) args.add(String.valueOf(a));
        args.add("--resume-from");
        args.add(runDir.toString());
        return new CommandLine(new TrainCommand()).setExecutionExceptionHandler((ex, cmd, parsed) -> {
            throw ex;
        }).execute(args.toArray(String[]::new));
    }
}
