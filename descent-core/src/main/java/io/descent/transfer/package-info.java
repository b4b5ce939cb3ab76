/**
 * Transfer learning: start from a pretrained network instead of random weights.
 *
 * <ul>
 *   <li>{@link io.descent.transfer.Freezing}: freeze and unfreeze parameters by module path;
 *       {@link io.descent.transfer.FrozenBatchNorm} keeps the batch norm of frozen parts in
 *       eval mode whatever {@code train()} says;</li>
 *   <li>{@link io.descent.transfer.Heads}: find and replace the classifier head;</li>
 *   <li>{@link io.descent.transfer.LayerGroups}: ordered layer groups and optimizer parameter
 *       groups with discriminative learning rates (ULMFiT, Howard &amp; Ruder 2018);</li>
 *   <li>{@link io.descent.transfer.GradualUnfreezing}: a trainer callback that unfreezes one
 *       more group, from the head backwards, every few epochs (ULMFiT);</li>
 *   <li>{@link io.descent.transfer.FeatureCache}: run a frozen backbone once and train the
 *       head on the cached features.</li>
 * </ul>
 */
package io.descent.transfer;
