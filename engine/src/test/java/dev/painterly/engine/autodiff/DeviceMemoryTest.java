package dev.painterly.engine.autodiff;

import dev.painterly.engine.Device;
import dev.painterly.engine.DeviceStats;
import dev.painterly.engine.Shape;
import dev.painterly.engine.Tensor;
import dev.painterly.engine.ops.AvgPool3x3;
import dev.painterly.engine.ops.Conv3x3;
import dev.painterly.engine.ops.Conv3x3Relu;
import dev.painterly.engine.ops.GradientTransform;
import dev.painterly.engine.ops.Gram;
import dev.painterly.engine.ops.MaskMultiply;
import dev.painterly.engine.ops.MaxPool2x2;
import dev.painterly.engine.ops.MeanSquaredError;
import dev.painterly.engine.ops.Relu;
import dev.painterly.engine.ops.TotalVariation;
import dev.painterly.engine.reference.JavaDevice;
import dev.painterly.engine.testing.RandomTensors;
import dev.painterly.engine.testing.TestDevices;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Hundreds of forward/backward rounds through every kind of op: device allocations and bytes
 * return to the same level after each round (the tape releases what it owns), the peak does not
 * grow after the first round, and each round makes the same number of host transfers.
 */
class DeviceMemoryTest {

    private static final int ROUNDS = 300;

    @Test
    void openClAllocationsDoNotGrow() {
        rounds(TestDevices.openCl());
    }

    @Test
    void referenceAllocationsDoNotGrow() {
        rounds(JavaDevice.float32());
    }

    private static void rounds(Device d) {
        Shape img = Shape.of(3, 19, 23);
        try (Tensor image = d.upload(img, RandomTensors.uniform(1, img.size()));
             Tensor w1 = d.upload(Shape.vector(8 * 3 * 9), RandomTensors.uniform(2, 8 * 3 * 9));
             Tensor b1 = d.upload(Shape.vector(8), RandomTensors.uniform(3, 8));
             Tensor w2 = d.upload(Shape.vector(5 * 8 * 9), RandomTensors.uniform(4, 5 * 8 * 9));
             Tensor mask = d.upload(Shape.of(1, 10, 12), RandomTensors.unit(5, 120));
             Tensor target = d.upload(Shape.of(1, 5, 5), RandomTensors.uniform(6, 25));
             Tensor content = d.upload(Shape.of(5, 10, 12), RandomTensors.uniform(7, 600))) {
            DeviceStats before = d.stats();
            long uploadsPerRound = -1;
            long downloadsPerRound = -1;
            long peakAfterFirstRound = -1;
            for (int round = 0; round < ROUNDS; round++) {
                DeviceStats start = d.stats();
                try (Tape tape = new Tape(d)) {
                    Var x = tape.leaf(image);
                    Var f = Relu.apply(Conv3x3.apply(x, tape.constant(w1), tape.constant(b1)));
                    Var p = MaxPool2x2.apply(f);
                    Var g = Conv3x3Relu.apply(p, tape.constant(w2), null);
                    Var m = AvgPool3x3.apply(tape.constant(mask));
                    Var hooked = GradientTransform.apply(g, List.of(new GradientTransform.Mask(mask)));
                    Var style = MeanSquaredError.apply(Gram.apply(MaskMultiply.apply(hooked, m), 0.01), tape.constant(target));
                    Var loss = MeanSquaredError.apply(hooked, tape.constant(content));
                    TotalVariation.apply(x, 1e-3);
                    tape.backward(style);
                    assertTrue(Double.isFinite(loss.scalar()));
                    assertTrue(x.grad() != null);
                }
                DeviceStats end = d.stats();
                assertEquals(before.liveAllocations(), end.liveAllocations(), "live allocations after round " + round);
                assertEquals(before.liveBytes(), end.liveBytes(), "live bytes after round " + round);
                long up = end.uploads() - start.uploads();
                long down = end.downloads() - start.downloads();
                if (round == 0) {
                    uploadsPerRound = up;
                    downloadsPerRound = down;
                    peakAfterFirstRound = end.peakBytes();
                }
                assertEquals(uploadsPerRound, up, "uploads in round " + round);
                assertEquals(downloadsPerRound, down, "downloads in round " + round);
            }
            assertEquals(peakAfterFirstRound, d.stats().peakBytes(), "peak device bytes grew over the rounds");
        }
    }
}
