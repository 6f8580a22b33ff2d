package dev.painterly.engine.opencl;

import dev.painterly.engine.Shape;
import dev.painterly.engine.Tensor;
import dev.painterly.engine.ops.Columns;
import dev.painterly.engine.reference.JavaDevice;
import dev.painterly.engine.testing.Compare;
import dev.painterly.engine.testing.Poison;
import dev.painterly.engine.testing.RandomTensors;
import dev.painterly.engine.testing.TestDevices;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * One small case of every kernel of every op family, under both tunings whatever the device, against
 * the Java reference: so that the GPU tuning's kernels run on a CPU device and the CPU tuning's on a
 * GPU. Sizes are odd and small (partial tiles, blocks and vectors, map edges) so that the whole class
 * runs in minutes under Oclgrind, the OpenCL simulator that checks every memory access; CI runs it
 * there (.ci/run) with data-race and API checks on and 48 KiB of local memory, as on GPUs.
 *
 * <p>When {@code OCLGRIND_LOG} names Oclgrind's log, the class fails if anything was logged: Oclgrind
 * reports the errors it finds there and carries on.
 */
class EveryFamilyBothTuningsTest {

    private static final Tuning[] TUNINGS = Tuning.values();

    private final OpenClDevice cl = TestDevices.openCl();
    private final JavaDevice ref = JavaDevice.float32();

    @AfterAll
    static void oclgrindLoggedNothing() throws IOException {
        String log = System.getenv("OCLGRIND_LOG");
        if (log != null && !log.isBlank() && Files.exists(Path.of(log))) {
            String text = Files.readString(Path.of(log));
            Assertions.assertTrue(text.isBlank(), "Oclgrind reported:\n" + text);
        }
    }

    // ---- helpers ---------------------------------------------------------------------------------

    private Tensor onCl(Shape s, float[] data) {
        return cl.upload(s, data);
    }

    private Tensor onRef(Shape s, float[] data) {
        return ref.upload(s, data);
    }

    private static void close(float[] expected, float[] actual, String what) {
        Compare.close(expected, actual, 1e-4, 1e-5 * Math.max(1, Compare.maxAbs(expected)), what);
    }

    private static void same(float[] expected, float[] actual, String what) {
        Assertions.assertArrayEquals(expected, actual, what);
    }

    // ---- elementwise -------------------------------------------------------------------------

    @Test
    void elementwise() {
        Shape s = Shape.of(3, 7, 11);
        Shape m = Shape.of(1, 7, 11);
        float[] a = RandomTensors.uniform(1, s.size()), b = RandomTensors.uniform(2, s.size());
        float[] mask = RandomTensors.unit(3, m.size());
        try (Tensor ra = onRef(s, a); Tensor rb = onRef(s, b); Tensor rm = onRef(m, mask);
             Tensor ro = ref.allocate(s); Tensor rg = ref.allocate(m);
             Tensor ca = onCl(s, a); Tensor cb = onCl(s, b); Tensor cm = onCl(m, mask)) {
            for (Tuning t : TUNINGS) {
                ClElementwise e = new ClElementwise(cl, t);
                String at = " (" + t + ")";
                try (Tensor out = Poison.output(cl, s); Tensor grad = Poison.output(cl, m)) {
                    ref.elementwise().relu(ra, ro);
                    e.relu(ca, out);
                    same(ro.toArray(), out.toArray(), "relu" + at);
                    ref.elementwise().reluBackward(ra, rb, ro);
                    e.reluBackward(ca, cb, out);
                    same(ro.toArray(), out.toArray(), "reluBackward" + at);
                    ref.elementwise().add(ra, rb, ro);
                    e.add(ca, cb, out);
                    same(ro.toArray(), out.toArray(), "add" + at);
                    ref.elementwise().multiply(ra, rb, ro);
                    e.multiply(ca, cb, out);
                    same(ro.toArray(), out.toArray(), "multiply" + at);
                    ref.elementwise().scale(ra, 0.37, ro);
                    e.scale(ca, 0.37f, out);
                    close(ro.toArray(), out.toArray(), "scale" + at);
                    ref.elementwise().maskMultiply(ra, rm, ro);
                    e.maskMultiply(ca, cm, out);
                    same(ro.toArray(), out.toArray(), "maskMultiply" + at);
                    ref.elementwise().addMasked(ra, rb, 1, rm, ro);
                    e.addMasked(ca, cb, 1, cm, out);
                    same(ro.toArray(), out.toArray(), "addMasked" + at);
                    ref.elementwise().scaledDifference(ra, rb, 0.37, ro);
                    e.scaledDifference(ca, cb, 0.37, out);
                    close(ro.toArray(), out.toArray(), "scaledDifference" + at);
                    try (Tensor rn = onRef(Shape.vector(1), new float[] {2.25f}); Tensor cn = onCl(Shape.vector(1), new float[] {2.25f})) {
                        ref.elementwise().scaleByNorm(ra, rn, 0.6, ro);
                        e.scaleByNorm(ca, cn, 0.6, out);
                        close(ro.toArray(), out.toArray(), "scaleByNorm" + at);
                        ref.elementwise().addNormalizedMasked(ra, rb, rn, 0.6, rm, ro);
                        e.addNormalizedMasked(ca, cb, cn, 0.6, cm, out);
                        close(ro.toArray(), out.toArray(), "addNormalizedMasked" + at);
                    }
                    ref.elementwise().maskMultiplyBackward(ra, rb, rg);
                    e.maskMultiplyBackward(ca, cb, grad);
                    close(rg.toArray(), grad.toArray(), "maskMultiplyBackward" + at);
                    ref.elementwise().totalVariationGradient(ra, 0.5, ro);
                    e.totalVariationGradient(ca, 0.5f, out);
                    close(ro.toArray(), out.toArray(), "totalVariationGradient" + at);
                    e.copy(ca, out);
                    same(a, out.toArray(), "copy" + at);
                    ref.copy(ra, ro);
                    ref.elementwise().axpy(-0.25, rb, ro);
                    e.axpy(-0.25f, cb, out);
                    close(ro.toArray(), out.toArray(), "axpy" + at);
                    e.fill(out, 1.5f);
                    for (float v : out.toArray()) {
                        Assertions.assertEquals(1.5f, v, "fill" + at);
                    }
                }
            }
        }
    }

    // ---- reductions --------------------------------------------------------------------------

    @Test
    void reductions() {
        Shape s = Shape.of(3, 17, 19);
        float[] a = RandomTensors.uniform(4, s.size()), b = RandomTensors.uniform(5, s.size());
        try (Tensor ra = onRef(s, a); Tensor rb = onRef(s, b); Tensor ca = onCl(s, a); Tensor cb = onCl(s, b)) {
            for (Tuning t : TUNINGS) {
                ClReductions r = new ClReductions(cl, t);
                String at = " (" + t + ")";
                double tol = 1e-6 * s.size();
                Compare.close(ref.reductions().sum(ra), r.sum(ca), 0, tol, "sum" + at);
                Compare.close(ref.reductions().dot(ra, rb), r.dot(ca, cb), 0, tol, "dot" + at);
                Compare.close(ref.reductions().sumAbs(ra), r.sumAbs(ca), 0, tol, "sumAbs" + at);
                Compare.close(ref.reductions().sumSquaredDifference(ra, rb), r.sumSquaredDifference(ca, cb), 0, tol,
                        "sumSquaredDifference" + at);
                Compare.close(ref.reductions().totalVariation(ra), r.totalVariation(ca), 0, tol, "totalVariation" + at);
                try (Tensor rr = ref.allocate(Shape.vector(1)); Tensor cr = Poison.output(cl, Shape.vector(1))) {
                    ref.reductions().dot(ra, rb, rr);
                    r.dot(ca, cb, cr);
                    Compare.close(rr.toArray()[0], cr.toArray()[0], 0, tol, "dot left on the device" + at);
                    ref.reductions().sumSquaredDifference(ra, rb, 0.5, rr);
                    r.sumSquaredDifference(ca, cb, 0.5, cr);
                    Compare.close(rr.toArray()[0], cr.toArray()[0], 0, tol, "sumSquaredDifference left on the device" + at);
                }
                // The 3 maps of a as the rows of a matrix, against b's first map and a's last.
                int n = s.plane();
                float[] v = Arrays.copyOf(b, n), w = Arrays.copyOfRange(a, 2 * n, 3 * n);
                try (Tensor rv = onRef(Shape.vector(n), v); Tensor rw = onRef(Shape.vector(n), w);
                     Tensor cv = onCl(Shape.vector(n), v); Tensor cw = onCl(Shape.vector(n), w)) {
                    double[][] expected = ref.reductions().dots(ra, 3, rv, rw), actual = r.dots(ca, 3, cv, cw);
                    for (int k = 0; k < expected.length; k++) {
                        Compare.close(expected[k], actual[k], 0, 1e-6 * n, "dots, vector " + k + at);
                    }
                }
            }
        }
    }

    // ---- combination -------------------------------------------------------------------------

    @Test
    void combination() {
        int rows = 5, n = 3 * 17 * 19 + 7;
        float[] m = RandomTensors.uniform(30, rows * n), x = RandomTensors.uniform(31, n);
        double[] coefficients = {0.5, -1.25, 0.75, 2, -0.125};
        try (Tensor rm = onRef(Shape.vector(rows * n), m); Tensor rx = onRef(Shape.vector(n), x);
             Tensor ro = ref.allocate(Shape.vector(n)); Tensor cm = onCl(Shape.vector(rows * n), m);
             Tensor cx = onCl(Shape.vector(n), x)) {
            ref.combination().combineRows(rm, coefficients, -0.5, rx, ro);
            for (Tuning t : TUNINGS) {
                try (Tensor co = Poison.output(cl, Shape.vector(n))) {
                    new ClCombination(cl, t).combineRows(cm, coefficients, -0.5, cx, co);
                    close(ro.toArray(), co.toArray(), "combineRows (" + t + ")");
                }
            }
        }
    }

    // ---- gather ------------------------------------------------------------------------------

    @Test
    void gather() {
        int n = 3 * 11 * 13, m = 0;
        float[] source = RandomTensors.uniform(40, n), base = RandomTensors.uniform(41, n);
        float[] all = new float[n];
        for (int i = 0; i < n; i++) {
            if (i % 3 != 1) {
                all[m++] = i;
            }
        }
        float[] positions = Arrays.copyOf(all, m);
        Shape s = Shape.vector(n), ms = Shape.vector(m);
        try (Tensor rs = onRef(s, source); Tensor rp = onRef(ms, positions); Tensor rg = ref.allocate(ms);
             Tensor rb = onRef(s, base); Tensor cs = onCl(s, source); Tensor cp = onCl(ms, positions)) {
            ref.gather().gather(rs, rp, rg);
            ref.gather().scatter(rg, rp, rb);
            for (Tuning t : TUNINGS) {
                try (Tensor cg = Poison.output(cl, ms); Tensor cb = onCl(s, base)) {
                    ClGather g = new ClGather(cl, t);
                    g.gather(cs, cp, cg);
                    same(rg.toArray(), cg.toArray(), "gather (" + t + ")");
                    g.scatter(cg, cp, cb);
                    same(rb.toArray(), cb.toArray(), "scatter (" + t + ")");
                }
            }
        }
    }

    @Test
    void gatherColumns() {
        // The columns of a 4 x 11 x 13 map where (p % 3 != 1): runs of two between gaps of one.
        Shape s = Shape.of(4, 11, 13);
        int plane = s.plane(), m = 0;
        float[] mask = new float[plane];
        for (int p = 0; p < plane; p++) {
            if (p % 3 != 1) {
                mask[p] = 1;
                m++;
            }
        }
        float[] segments = Columns.segments(mask), layerMask = RandomTensors.unit(42, plane);
        float[] source = RandomTensors.uniform(43, s.size()), g = RandomTensors.uniform(44, s.size());
        Shape cols = Shape.of(4, 1, m), ss = Shape.vector(segments.length), ps = s.withChannels(1);
        try (Tensor rs = onRef(s, source); Tensor rg2 = onRef(ss, segments); Tensor rm = onRef(ps, layerMask);
             Tensor rg = ref.allocate(cols); Tensor rb = ref.allocate(s); Tensor rj = onRef(s, g);
             Tensor rn = onRef(Shape.vector(1), new float[] {3.7f}); Tensor cn = onCl(Shape.vector(1), new float[] {3.7f});
             Tensor cs = onCl(s, source); Tensor cg2 = onCl(ss, segments); Tensor cm = onCl(ps, layerMask)) {
            ref.gather().gatherColumns(rs, rg2, rg);
            ref.gather().scatterColumns(rg, rg2, rb);
            ref.gather().addColumnsMasked(rj, rg, rg2, 0.5, rm, rj);
            ref.gather().addNormalizedColumnsMasked(rj, rg, rg2, rn, 0.5, rm, rj);
            for (Tuning t : TUNINGS) {
                try (Tensor cg = Poison.output(cl, cols); Tensor cb = Poison.output(cl, s); Tensor cj = onCl(s, g)) {
                    ClGather gather = new ClGather(cl, t);
                    gather.gatherColumns(cs, cg2, cg);
                    same(rg.toArray(), cg.toArray(), "gatherColumns (" + t + ")");
                    gather.scatterColumns(cg, cg2, cb);
                    same(rb.toArray(), cb.toArray(), "scatterColumns (" + t + ")");
                    gather.addColumnsMasked(cj, cg, cg2, 0.5, cm, cj);
                    gather.addNormalizedColumnsMasked(cj, cg, cg2, cn, 0.5, cm, cj);
                    close(rj.toArray(), cj.toArray(), "addColumnsMasked, then normalized (" + t + ")");
                }
            }
        }
    }

    // ---- histogram ---------------------------------------------------------------------------

    @Test
    void histogram() {
        // 45 of 70 positions, over 3 channels whose values repeat (ties), in an order that is not
        // ascending: more than one run of 32 keys, so the merge runs.
        Shape s = Shape.of(3, 7, 10);
        int m = 45;
        float[] f = new float[s.size()];
        for (int i = 0; i < f.length; i++) {
            f[i] = (i * 7919 % 13) * 0.25f - 1;
        }
        float[] positions = new float[m];
        for (int i = 0; i < m; i++) {
            positions[i] = (i * 31 + 5) % s.plane();
        }
        float[] table = RandomTensors.uniform(32, s.channels() * m);
        try (Tensor rf = onRef(s, f); Tensor rp = onRef(Shape.vector(m), positions);
             Tensor rt = onRef(Shape.vector(s.channels() * m), table); Tensor ro = ref.allocate(s);
             Tensor cf = onCl(s, f); Tensor cp = onCl(Shape.vector(m), positions);
             Tensor ct = onCl(Shape.vector(s.channels() * m), table)) {
            ref.histogram().remap(rf, rp, rt, ro);
            for (Tuning t : TUNINGS) {
                try (Tensor co = Poison.output(cl, s)) {
                    new ClHistogram(cl, t).remap(cf, cp, ct, co);
                    same(ro.toArray(), co.toArray(), "histogram remap (" + t + ")");
                }
            }
        }
    }

    // ---- convolution -------------------------------------------------------------------------

    @Test
    void convolution() {
        for (Tuning t : TUNINGS) {
            ClConvolution conv = new ClConvolution(cl, t);
            for (ClConvolution.Variant v : ClConvolution.Variant.values()) {
                // The fused Winograd kernel holds a work-group's transformed input in local
                // memory: one input channel fits in a GPU's 48 KiB.
                int inC = v == ClConvolution.Variant.WINOGRAD_FUSED ? 1 : 5;
                // 70 columns, 18 tiles a row: Winograd's first block of 16 tiles lies on one row,
                // the next two span two rows each (2 + 14, 4 + 12 tiles), the last holds 6 of 16.
                convolution(conv, v, inC, 18, 9, 70, t);
            }
        }
    }

    private void convolution(ClConvolution conv, ClConvolution.Variant v, int inC, int outC, int h, int w, Tuning t) {
        Shape in = Shape.of(inC, h, w), out = Shape.of(outC, h, w), weights = Shape.vector(outC * inC * 9);
        float[] x = RandomTensors.uniform(6, in.size()), k = RandomTensors.uniform(7, weights.size());
        float[] bias = RandomTensors.uniform(8, outC), g = RandomTensors.uniform(9, out.size());
        String at = " (" + v + ", " + t + ")";
        try (Tensor rx = onRef(in, x); Tensor rk = onRef(weights, k); Tensor rb = onRef(Shape.vector(outC), bias);
             Tensor rg = onRef(out, g); Tensor ro = ref.allocate(out); Tensor rgi = ref.allocate(in);
             Tensor rgw = ref.allocate(weights); Tensor rgb = ref.allocate(Shape.vector(outC));
             Tensor cx = onCl(in, x); Tensor ck = onCl(weights, k); Tensor cb = onCl(Shape.vector(outC), bias);
             Tensor cg = onCl(out, g); Tensor co = Poison.output(cl, out); Tensor cgi = Poison.output(cl, in)) {
            ref.convolution().conv3x3(rx, rk, rb, ro);
            conv.conv3x3(cx, ck, cb, co, v);
            close(ro.toArray(), co.toArray(), "conv3x3" + at);
            float[] relu;
            try (Tensor cr = Poison.output(cl, out)) {
                ref.convolution().conv3x3Relu(rx, rk, rb, ro);
                conv.conv3x3Relu(cx, ck, cb, cr, v);
                relu = ro.toArray();
                close(relu, cr.toArray(), "conv3x3Relu" + at);
            }
            if (v != ClConvolution.Variant.WINOGRAD_FUSED || conv.fusedFits(outC)) {
                ref.convolution().conv3x3BackwardInput(rg, rk, rgi);
                conv.conv3x3BackwardInput(cg, ck, cgi, v);
                close(rgi.toArray(), cgi.toArray(), "conv3x3BackwardInput" + at);
                // The mask: the ReLU output above, zero at about half the positions.
                try (Tensor cy = onCl(out, relu); Tensor cgm = Poison.output(cl, in)) {
                    ref.convolution().conv3x3ReluBackwardInput(rg, ro, rk, rgi);
                    conv.conv3x3ReluBackwardInput(cg, cy, ck, cgm, v);
                    close(rgi.toArray(), cgm.toArray(), "conv3x3ReluBackwardInput" + at);
                }
            }
            if (v == ClConvolution.Variant.PLAIN) {
                try (Tensor cgw = Poison.output(cl, weights); Tensor cgb = Poison.output(cl, Shape.vector(outC))) {
                    ref.convolution().conv3x3BackwardWeight(rx, rg, rgw, rgb);
                    conv.conv3x3BackwardWeight(cx, cg, cgw, cgb);
                    close(rgw.toArray(), cgw.toArray(), "conv3x3BackwardWeight" + at);
                    close(rgb.toArray(), cgb.toArray(), "conv3x3BackwardWeight, bias" + at);
                }
            }
        }
    }

    // ---- pooling -----------------------------------------------------------------------------

    @Test
    void pooling() {
        // 37 columns: one whole float16 step of the row kernels, then overhanging windows.
        Shape s = Shape.of(2, 5, 37), o = Shape.of(2, 3, 19);
        float[] x = RandomTensors.uniform(10, s.size()), g = RandomTensors.uniform(11, o.size());
        try (Tensor rx = onRef(s, x); Tensor rg = onRef(o, g); Tensor ro = ref.allocate(o); Tensor rs = ref.allocate(s);
             Tensor cx = onCl(s, x); Tensor cg = onCl(o, g)) {
            ref.pooling().maxPool2x2(rx, ro);
            float[] pooled = ro.toArray();
            ref.pooling().maxPool2x2Backward(rx, rg, rs);
            float[] back = rs.toArray();
            ref.pooling().avgPool3x3(rx, rs);
            float[] avg = rs.toArray();
            for (Tuning t : TUNINGS) {
                ClPooling p = new ClPooling(cl, t);
                String at = " (" + t + ")";
                try (Tensor co = Poison.output(cl, o); Tensor cs = Poison.output(cl, s)) {
                    p.maxPool2x2(cx, co);
                    same(pooled, co.toArray(), "maxPool2x2" + at);
                    p.maxPool2x2Backward(cx, cg, cs);
                    same(back, cs.toArray(), "maxPool2x2Backward" + at);
                    p.avgPool3x3(cx, cs);
                    close(avg, cs.toArray(), "avgPool3x3" + at);
                }
            }
        }
    }

    // ---- gram --------------------------------------------------------------------------------

    @Test
    void gram() {
        for (Tuning t : TUNINGS) {
            ClGram gram = new ClGram(cl, t);
            // The tiled kernels split N = 323 into slices, whose partials gram_sum_slices adds; the
            // vector kernels' slices hold 2^18 floats of F, which took the simulator a minute, so
            // their split is left to GramKernelProperties.
            Shape s = Shape.of(21, 17, 19);
            Assertions.assertTrue(gram.variant() == ClGram.Variant.VECTOR
                    || gram.sliceLength(s.channels(), s.plane()) < s.plane(), "slices of " + s + at(gram, t));
            gram(gram, s, t);
        }
    }

    private void gram(ClGram gram, Shape s, Tuning t) {
        Shape g = Shape.of(1, s.channels(), s.channels());
        float[] f = RandomTensors.uniform(12, s.size()), gg = RandomTensors.uniform(13, g.size());
        String at = at(gram, t);
        try (Tensor rf = onRef(s, f); Tensor rgg = onRef(g, gg); Tensor rg = ref.allocate(g); Tensor rs = ref.allocate(s);
             Tensor cf = onCl(s, f); Tensor cgg = onCl(g, gg); Tensor cg = Poison.output(cl, g);
             Tensor cs = Poison.output(cl, s)) {
            ref.gram().gram(rf, 0.01, rg);
            gram.gram(cf, 0.01f, cg);
            close(rg.toArray(), cg.toArray(), "gram" + at);
            ref.gram().gramBackward(rf, rgg, 0.01, rs);
            gram.gramBackward(cf, cgg, 0.01f, cs);
            close(rs.toArray(), cs.toArray(), "gramBackward" + at);
        }
    }

    private static String at(ClGram gram, Tuning t) {
        return " (" + gram.variant() + ", " + t + ")";
    }

    // ---- matching ----------------------------------------------------------------------------

    @Test
    void matching() {
        Shape q = Shape.of(4, 7, 9), c = Shape.of(4, 8, 10), plane = Shape.of(1, 7, 9), guideShape = Shape.of(3, 7, 9);
        float[] f = RandomTensors.uniform(14, q.size()), s = RandomTensors.uniform(15, c.size());
        float[] mask = RandomTensors.uniform(16, plane.size());
        float[] guide = RandomTensors.unit(17, guideShape.size()), tight = RandomTensors.unit(18, plane.size());
        try (Tensor rf = onRef(q, f); Tensor rs = onRef(c, s); Tensor rm = onRef(plane, mask);
             Tensor rq = ref.allocate(q); Tensor rc = ref.allocate(c); Tensor ro = ref.allocate(plane);
             Tensor cf = onCl(q, f); Tensor cs = onCl(c, s); Tensor cm = onCl(plane, mask)) {
            ref.matching().matchNcc(rf, rs, rm, ro);
            float[] ncc = ro.toArray();
            ref.matching().normalizePositions(rf, rq);
            ref.matching().normalizePositions(rs, rc);
            float[] fNormal = rq.toArray();
            ref.matching().matchDot(rq, rc, rm, ro);
            float[] dot = ro.toArray();
            for (Tuning t : TUNINGS) {
                ClMatching m = new ClMatching(cl, t);
                for (ClMatching.Variant v : ClMatching.Variant.values()) {
                    String at = " (" + v + ", " + t + ")";
                    try (Tensor co = Poison.output(cl, plane); Tensor cq = Poison.output(cl, q);
                         Tensor cc = Poison.output(cl, c)) {
                        m.matchNcc(cf, cs, cm, co, v);
                        same(ncc, co.toArray(), "matchNcc" + at);
                        m.normalizePositions(cf, cq);
                        close(fNormal, cq.toArray(), "normalizePositions" + at);
                        m.normalizePositions(cs, cc);
                        m.matchDot(cq, cc, cm, co, v);
                        same(dot, co.toArray(), "matchDot" + at);
                    }
                }
            }
        }
        // Refinement and the used region on a field within one map, as in pass 2.
        float[] nnf = new float[plane.size()];
        java.util.Random r = new java.util.Random(19);
        for (int p = 0; p < nnf.length; p++) {
            nnf[p] = r.nextInt(8) == 0 ? -1 : r.nextInt(nnf.length);
        }
        try (Tensor rn = onRef(plane, nnf); Tensor rg = onRef(guideShape, guide); Tensor rt = onRef(plane, tight);
             Tensor ro = ref.allocate(plane); Tensor cn = onCl(plane, nnf); Tensor cg = onCl(guideShape, guide);
             Tensor ct = onCl(plane, tight)) {
            ref.matching().refineMatches(rn, rg, rt, ro);
            float[] refined = ro.toArray();
            ref.matching().usedRegion(rn, rt, ro);
            float[] used = ro.toArray();
            for (Tuning t : TUNINGS) {
                ClMatching m = new ClMatching(cl, t);
                String at = " (" + t + ")";
                try (Tensor co = Poison.output(cl, plane)) {
                    m.refineMatches(cn, cg, ct, co);
                    same(refined, co.toArray(), "refineMatches" + at);
                    m.usedRegion(cn, ct, co);
                    same(used, co.toArray(), "usedRegion" + at);
                }
            }
        }
    }

    // ---- post-processing ---------------------------------------------------------------------

    @Test
    void postProcessing() {
        Shape a = Shape.of(3, 12, 14), b = Shape.of(3, 13, 15), plane = Shape.of(1, 12, 14);
        float[] ia = RandomTensors.unit(20, a.size()), ib = RandomTensors.unit(21, b.size());
        float[] input = RandomTensors.unit(22, a.size()), mask = RandomTensors.uniform(23, plane.size());
        try (Tensor ra = onRef(a, ia); Tensor rb = onRef(b, ib); Tensor ri = onRef(a, input);
             Tensor rm = onRef(plane, mask); Tensor ro = ref.allocate(a); Tensor rn = ref.allocate(plane);
             Tensor ca = onCl(a, ia); Tensor cb = onCl(b, ib); Tensor ci = onCl(a, input); Tensor cm = onCl(plane, mask)) {
            ref.postProcess().guidedFilter(ra, ri, 2, 1e-2, ro);
            float[] filtered = ro.toArray();
            ref.postProcess().patchMatch(ra, rb, rm, 2, 2, 24, rn);
            float[] field = rn.toArray();
            ref.postProcess().vote(rn, rb, 2, ro);
            float[] voted = ro.toArray();
            ClPostProcess post = new ClPostProcess(cl);
            try (Tensor co = Poison.output(cl, a); Tensor cn = Poison.output(cl, plane)) {
                post.guidedFilter(ca, ci, 2, 1e-2, co);
                close(filtered, co.toArray(), "guidedFilter");
                post.patchMatch(ca, cb, cm, 2, 2, 24, cn);
                same(field, cn.toArray(), "patchMatch");
                post.vote(cn, cb, 2, co);
                close(voted, co.toArray(), "vote");
            }
        }
    }
}
