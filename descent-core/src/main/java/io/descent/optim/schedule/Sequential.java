package io.descent.optim.schedule;

import java.util.Arrays;
import java.util.List;

/**
 * Schedules joined at milestones, PyTorch's {@code SequentialLR}: schedule {@code i} runs
 * from milestone {@code i − 1} (0 for the first) with its own steps counted from there, so
 * {@code at(t) = schedules[i].at(t − milestones[i−1])}.
 */
public final class Sequential implements Schedule {
    private final List<Schedule> schedules;
    private final long[] milestones;

    public Sequential(List<Schedule> schedules, long... milestones) {
        if (schedules == null || schedules.isEmpty()) throw new IllegalArgumentException("Sequential: schedules must not be empty");
        if (milestones.length != schedules.size() - 1) {
            throw new IllegalArgumentException("Sequential: expects one milestone fewer than schedules, got " + schedules.size()
                    + " schedules and " + milestones.length + " milestones");
        }
        for (int i = 0; i < milestones.length; i++) {
            if (milestones[i] < 0 || (i > 0 && milestones[i] < milestones[i - 1])) {
                throw new IllegalArgumentException("Sequential: milestones must be increasing and >= 0, got " + Arrays.toString(milestones));
            }
        }
        for (Schedule s : schedules) if (s == null) throw new IllegalArgumentException("Sequential: a schedule is null");
        this.schedules = List.copyOf(schedules);
        this.milestones = milestones.clone();
    }

    @Override
    public double at(long step) {
        Schedule.checkStep(step);
        int i = 0;
        while (i < milestones.length && milestones[i] <= step) i++;
        return schedules.get(i).at(i == 0 ? step : step - milestones[i - 1]);
    }
}
