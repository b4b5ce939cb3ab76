package io.descent.train;

import io.descent.io.Weights;
import io.descent.optim.schedule.Schedule;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Snapshot ensembles (Huang et al., "Snapshot Ensembles: Train 1, Get M for Free", ICLR 2017):
 * saves the model's weights as {@code snapshot-U.safetensors} (U = updates done, zero-padded) after each
 * update that ends a descent of the lr schedule: its lr is lower than the update's before it,
 * and the next update's is higher (a warm restart of {@code CosineWarmRestarts}, the bottom of a
 * cyclic schedule) or there is no next update. Evaluated together they are an ensemble for the
 * cost of one training run ({@code descent evaluate --weights snapshot-A,snapshot-B,...}).
 */
public final class Snapshots implements Callback {
    private final Schedule lr;
    private final long updates;
    private final Path dir;
    private final List<Path> saved = new ArrayList<>();

    /** {@code lr}: the schedule the run's updates use; {@code updates}: how many the run makes. */
    public Snapshots(Schedule lr, long updates, Path dir) {
        if (updates < 1) throw new IllegalArgumentException("Snapshots: updates must be >= 1, got " + updates);
        this.lr = lr;
        this.updates = updates;
        this.dir = dir;
    }

    /** Whether update {@code u} (from 0) ends a descent of the schedule. */
    boolean endsDescent(long u) {
        return u > 0 && lr.at(u) < lr.at(u - 1) && (u + 1 >= updates || lr.at(u + 1) > lr.at(u));
    }

    @Override
    public void onBatchEnd(Trainer t, int batchInEpoch, double loss, boolean updated) {
        if (!updated || !endsDescent(t.step() - 1)) return;
        // zero-padded to the run's last update, so that a shell's snapshot-*.safetensors lists them in order
        String number = String.format(Locale.ROOT, "%0" + Long.toString(updates).length() + "d", t.step());
        Path file = dir.resolve("snapshot-" + number + ".safetensors");
        try {
            Weights.save(t.model(), file, t.weightsMetadata());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        saved.add(file);
    }

    /** The snapshots written so far, in order. */
    public List<Path> saved() {
        return List.copyOf(saved);
    }
}
