package io.descent.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.util.Properties;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The {@code descent} command: subcommands share --debug; errors are one line unless --debug. */
@Command(name = "descent", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Descent: train, fine-tune and transfer vision models on the JVM.",
        subcommands = {TrainCommand.class, FinetuneCommand.class, ResumeCommand.class, EvaluateCommand.class, DetectCommand.class, EncodeCommand.class, LrFindCommand.class, SearchCommand.class, ReportCommand.class, DemoCommand.class, InferCommand.class, ConvertCommand.class, ScheduleCommand.class, BenchCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {
    @Option(names = "--debug", description = "Print stack traces on errors.", scope = CommandLine.ScopeType.INHERIT)
    boolean debug;

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /** Runs the command line and returns the exit code (tests call this). */
    public static int execute(String... args) {
        // numbers print as 0.4747 whatever the machine's locale: output that scripts read must not change with it
        java.util.Locale.setDefault(java.util.Locale.Category.FORMAT, java.util.Locale.ROOT);
        CommandLine cli = new CommandLine(new Main()).setOverwrittenOptionsAllowed(true); // flags after --config FILE win
        boolean debug = java.util.Arrays.asList(args).contains("--debug");
        cli.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            PrintWriter err = cmd.getErr();
            if (debug) ex.printStackTrace(err);
            else err.println("descent: " + oneLine(ex));
            err.flush();
            return 1;
        });
        cli.setParameterExceptionHandler((ex, a) -> {
            PrintWriter err = ex.getCommandLine().getErr();
            err.println("descent: " + ex.getMessage() + " (see --help)");
            err.flush();
            return 2;
        });
        try {
            args = ConfigFile.expand(args);
        } catch (Exception e) {
            System.err.println("descent: " + oneLine(e));
            return 2;
        }
        try {
            return cli.execute(args);
        } catch (OutOfMemoryError e) { // an Error, which picocli's handler does not see: one line, and what to change
            if (debug) throw e;
            System.err.printf("descent: out of memory (%s; the heap may grow to %d MB): give the JVM more with DESCENT_JAVA_OPTS=-Xmx<size>, or lower --batch%n",
                    e.getMessage(), Runtime.getRuntime().maxMemory() >> 20);
            return 1;
        }
    }

    static String oneLine(Throwable e) {
        String m = e.getMessage();
        // an I/O exception wrapped without a message of its own: say what the cause says
        if (e instanceof java.io.UncheckedIOException u && u.getCause() != null && String.valueOf(m).equals(u.getCause().toString())) return oneLine(u.getCause());
        // java.nio's file exceptions carry only the path as their message: say what happened to it
        String what = switch (e) {
            case java.nio.file.NoSuchFileException f -> "no such file: ";
            case java.nio.file.AccessDeniedException f -> "permission denied: ";
            case java.nio.file.FileAlreadyExistsException f -> "already exists: ";
            case java.nio.file.NotDirectoryException f -> "not a directory: ";
            case java.nio.file.DirectoryNotEmptyException f -> "directory not empty: ";
            default -> "";
        };
        return what + (m == null || m.isBlank() ? e.getClass().getSimpleName() : m).replace('\n', ' ');
    }

    /** Reads the version Maven wrote into version.properties. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() throws IOException {
            Properties p = new Properties();
            try (InputStream in = Main.class.getResourceAsStream("version.properties")) {
                if (in != null) p.load(in);
            }
            return new String[] {"descent " + p.getProperty("version", "unknown")
                    + " (Java " + Runtime.version() + ", " + jdk.incubator.vector.FloatVector.SPECIES_PREFERRED.vectorBitSize() + "-bit vectors)"};
        }
    }
}
