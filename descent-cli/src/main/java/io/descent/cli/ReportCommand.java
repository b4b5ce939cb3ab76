package io.descent.cli;

import io.descent.log.RunDirectory;
import io.descent.log.RunFolder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code descent report}: one run's {@code report.html} written again from its logs (a run that
 * was stopped before writing it, or one resumed elsewhere), or several runs' curves on one page
 * (the trials of a search, runs with different seeds).
 */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = "Write a run's report.html again from its logs, or compare several runs' curves on one page (e.g. runs/SEARCH/trial-*).")
public final class ReportCommand implements Callable<Integer> {
    @Parameters(arity = "1..*", paramLabel = "RUN_DIR", description = "Run folders (config.json, metrics.csv, TensorBoard events).")
    List<Path> runs;

    @Option(names = "--output", paramLabel = "FILE.html", description = "Where the page goes (default: RUN_DIR/report.html for one run, comparison.html for several).")
    Path output;

    @Override
    public Integer call() throws Exception {
        List<RunFolder> folders = new ArrayList<>();
        for (Path r : runs) folders.add(RunFolder.read(r));
        Path out;
        if (folders.size() == 1) {
            RunFolder run = folders.getFirst();
            out = output != null ? output : run.dir().resolve(RunDirectory.REPORT_FILE);
            run.report("descent: " + run.name()).build().write(out);
        } else {
            out = output != null ? output : Path.of("comparison.html");
            RunFolder.compare("descent: " + folders.size() + " runs", folders).build().write(out);
        }
        System.out.println("wrote " + out);
        return 0;
    }
}
