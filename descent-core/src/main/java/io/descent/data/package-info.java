/**
 * Data: data sets, the prefetching {@link io.descent.data.DataLoader}, readers and built-in data.
 *
 * <ul>
 *   <li>{@link io.descent.data.Dataset} yields {@link io.descent.data.Example}s ([C, H, W] or [F]
 *       floats, a label, an optional reconstruction target); readers apply torchvision's
 *       {@code ToTensor} convention themselves (channels first, values in [0, 1]):
 *       {@link io.descent.data.FashionMnist} (IDX files via {@link io.descent.data.Idx}),
 *       {@link io.descent.data.ImageFolder}, {@link io.descent.data.Csv}, and the built-in
 *       {@link io.descent.data.Shapes}.
 *   <li>Views: {@link io.descent.data.Subset}, {@link io.descent.data.ClassSubset} (keep and
 *       renumber classes), {@link io.descent.data.Splits} (random split, stratified few-shot),
 *       {@link io.descent.data.TransformedDataset} (fixed preprocessing).
 *   <li>{@link io.descent.data.DataLoader} turns a data set into {@link io.descent.data.Batch}es
 *       on worker threads, with per-example {@link io.descent.data.Transform}s and per-batch
 *       {@link io.descent.data.BatchTransform}s ({@link io.descent.data.transforms}).
 *   <li>{@link io.descent.data.DataSpec} maps the command line's data flags to a
 *       {@link io.descent.data.TrainVal} pair.
 * </ul>
 *
 * <p>Every random choice is drawn from an {@link io.descent.tensor.Rng} seeded by
 * {@link io.descent.data.Seeds#derive} from (seed, stream, epoch, index), so results never depend
 * on thread scheduling.
 */
package io.descent.data;
