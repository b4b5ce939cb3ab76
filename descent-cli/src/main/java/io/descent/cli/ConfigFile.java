package io.descent.cli;

import io.descent.io.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code --config FILE.json}: a JSON object whose keys are flag names without the dashes, e.g.
 * {@code {"model": "resnet18", "lr": 0.1, "milestones": [30, 60], "nesterov": true}}. It is
 * expanded into flags before parsing, in place of {@code --config FILE}, so flags given after
 * it on the command line win (picocli keeps the last value of a repeated option).
 */
final class ConfigFile {
    private ConfigFile() {}

    static String[] expand(String[] args) throws IOException {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].equals("--config") && !args[i].startsWith("--config=")) {
                out.add(args[i]);
                continue;
            }
            String file = args[i].startsWith("--config=") ? args[i].substring("--config=".length()) : (i + 1 < args.length ? args[++i] : null);
            if (file == null) throw new IllegalArgumentException("--config needs a JSON file");
            Path p = Path.of(file);
            if (!Files.isRegularFile(p)) throw new IllegalArgumentException("--config: no such file " + p);
            if (!(Json.parse(Files.readString(p)) instanceof Map<?, ?> m)) throw new IllegalArgumentException("--config: " + p + " must hold a JSON object of flags");
            for (Map.Entry<?, ?> e : m.entrySet()) {
                String flag = "--" + e.getKey();
                switch (e.getValue()) {
                    case Boolean b -> {
                        if (b) out.add(flag);
                    }
                    case List<?> l -> {
                        out.add(flag);
                        out.add(String.join(",", l.stream().map(String::valueOf).toList()));
                    }
                    case Map<?, ?> nested -> throw new IllegalArgumentException("--config: value of '" + e.getKey() + "' must be a string, number, boolean or list");
                    case null -> throw new IllegalArgumentException("--config: value of '" + e.getKey() + "' is null");
                    default -> {
                        out.add(flag);
                        out.add(String.valueOf(e.getValue()));
                    }
                }
            }
        }
        return out.toArray(String[]::new);
    }
}
