/**
 * Per-example transforms and batch transforms with torchvision's semantics and argument names:
 * geometry ({@link io.descent.data.transforms.RandomCrop}, {@link io.descent.data.transforms.RandomResizedCrop},
 * {@link io.descent.data.transforms.CenterCrop}, {@link io.descent.data.transforms.Resize},
 * {@link io.descent.data.transforms.RandomHorizontalFlip}), values
 * ({@link io.descent.data.transforms.Normalize}, {@link io.descent.data.transforms.ColorJitter},
 * {@link io.descent.data.transforms.Grayscale}), corruption for denoising autoencoders
 * ({@link io.descent.data.transforms.GaussianNoise}, {@link io.descent.data.transforms.MaskingNoise}
 * after {@link io.descent.data.transforms.CleanTarget}), {@link io.descent.data.transforms.Compose},
 * and the batch-level {@link io.descent.data.transforms.Mixup} and {@link io.descent.data.transforms.CutMix}
 * (soft targets) with {@link io.descent.data.transforms.RandomChoice}.
 *
 * <p>Transforms never write into their input; they act on the example's input values, never on
 * its label or reconstruction target.
 */
package io.descent.data.transforms;
