/**
 * Object detection besides the model ({@link io.descent.models.CenterNet}): the targets a
 * CenterNet learns from boxes ({@link io.descent.detect.CenterNetTargets}), its loss
 * ({@link io.descent.detect.CenterNetLoss}), boxes out of its maps
 * ({@link io.descent.detect.CenterNetDecoder}) as one image's
 * {@link io.descent.detect.Detections} (beside the ground truth {@link io.descent.data.Boxes});
 * box geometry and non-maximum suppression with torchvision.ops semantics
 * ({@link io.descent.detect.BoxOps}); COCO's mean average precision computed as pycocotools'
 * COCOeval computes it ({@link io.descent.detect.MeanAveragePrecision}); and box outlines for
 * reports ({@link io.descent.detect.BoxDrawing}). Nothing here records autograd history except
 * the loss.
 */
package io.descent.detect;
