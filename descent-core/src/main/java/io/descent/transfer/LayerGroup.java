package io.descent.transfer;

import java.util.List;

/**
 * A named, ordered slice of a model for transfer learning: the module paths whose parameters
 * share one learning rate and are frozen or unfrozen together ({@code "stem" = [conv1, bn1]},
 * {@code "layer4" = [layer4]}, {@code "head" = [fc]}).
 */
public record LayerGroup(String name, List<String> paths) {
    public LayerGroup {
        if (name == null || name.isEmpty()) throw new IllegalArgumentException("LayerGroup: name must not be empty");
        paths = List.copyOf(paths);
        if (paths.isEmpty()) throw new IllegalArgumentException("LayerGroup '" + name + "': no module paths");
    }

    public static LayerGroup of(String name, String... paths) {
        return new LayerGroup(name, List.of(paths));
    }

    /** Whether the parameter named {@code param} belongs to this group. */
    public boolean contains(String param) {
        for (String p : paths) if (Freezing.under(param, p)) return true;
        return false;
    }
}
