package dev.painterly.harmonizer;

import dev.painterly.engine.Device;
import dev.painterly.engine.Shape;
import dev.painterly.engine.Tensor;
import dev.painterly.engine.io.RgbImage;

/**
 * The post-processing of docs/algorithm.md section 3, which removes pass 2's high-frequency colour
 * artifacts: the chroma of the pass-2 result is smoothed by a guided filter that follows the
 * composite's edges (O1), O1's patches are replaced by the painting's closest ones (PatchMatch and
 * voting), O1's fine detail is added back (O2), and O2 is blended into the painting with the
 * blurred, dilated tight mask. The guided filter, PatchMatch and voting run on the device; the Lab
 * conversions, the detail layer and the blend are cheap per-pixel host work.
 */
public final class PostProcess {

    /** The guided filter of the chroma: radius 2 (5x5 windows), eps 0.01 (guide in [0,1]). */
    static final int GUIDED_RADIUS = 2;
    static final double GUIDED_EPS = 0.01;

    /**
     * 7x7 patches, compared in RGB: the space in which the votes are averaged, so a patch's
     * distance measures the colour error its votes bring.
     */
    static final int PATCH_RADIUS = 3;

    /**
     * PatchMatch iterations: as in Barnes et al., whose field has mostly converged after 4-5; on
     * an image against itself ours is exact everywhere after 2.
     */
    static final int PATCH_MATCH_ITERATIONS = 5;

    private PostProcess() {
    }

    /**
     * The blend mask sM: the tight mask blurred (7x7, sigma 3), set to 1 where above 0.01 and 0
     * elsewhere (a dilation by the blur's reach), and blurred again.
     */
    public static Mask blendMask(Mask tight) {
        float[] blur = Mask.gaussian(7, 3);
        return tight.convolve(blur).threshold(0.01f).convolve(blur);
    }

    /**
     * @param pass2 I, the pass-2 result at working size
     * @param composite G, the guide of the chroma filter
     * @param painting B, the source of the patches and the background of the blend
     * @param tight M, the tight mask at working size
     * @param seed PatchMatch's seed
     */
    public static RgbImage run(Device device, RgbImage pass2, RgbImage composite, RgbImage painting, Mask tight,
                               long seed) {
        int h = pass2.height(), w = pass2.width(), plane = h * w;
        Shape rgb = Shape.of(3, h, w);
        Mask blend = blendMask(tight);
        RgbImage filtered = filterChroma(device, pass2, composite);
        RgbImage voted;
        try (Tensor o1 = device.upload(rgb, filtered.planes());
             Tensor b = device.upload(rgb, painting.planes());
             Tensor query = queryRegion(blend).upload(device);
             Tensor nnf = device.allocate(Shape.of(1, h, w));
             Tensor votes = device.allocate(rgb)) {
            device.postProcess().patchMatch(o1, b, query, PATCH_RADIUS, PATCH_MATCH_ITERATIONS, seed, nnf);
            device.postProcess().vote(nnf, b, PATCH_RADIUS, votes);
            voted = new RgbImage(h, w, votes.toArray());
        }
        RgbImage o2 = DetailLayer.addTo(voted, filtered);
        float[] m = blend.values(), o = o2.planes(), p = painting.planes();
        float[] out = new float[3 * plane];
        for (int i = 0; i < out.length; i++) {
            float a = m[i % plane];
            out[i] = Math.max(0f, Math.min(1f, o[i] * a + p[i] * (1 - a)));
        }
        return new RgbImage(h, w, out);
    }

    /**
     * Where PatchMatch searches: the positions whose patch covers a pixel that the blend uses (sM
     * &gt; 0), i.e. within Chebyshev distance {@link #PATCH_RADIUS} of one, so that every vote there
     * counts every patch. The rest of the field would only vote where sM = 0; leaving it out
     * saves most of the stage's time when the object is small.
     */
    static Mask queryRegion(Mask blend) {
        int h = blend.height(), w = blend.width(), r = PATCH_RADIUS;
        float[] used = blend.threshold(0f).values(), rows = new float[used.length], out = new float[used.length];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                float m = 0;
                for (int sx = Math.max(0, x - r); sx <= Math.min(w - 1, x + r); sx++) {
                    m = Math.max(m, used[y * w + sx]);
                }
                rows[y * w + x] = m;
            }
        }
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                float m = 0;
                for (int sy = Math.max(0, y - r); sy <= Math.min(h - 1, y + r); sy++) {
                    m = Math.max(m, rows[sy * w + x]);
                }
                out[y * w + x] = m;
            }
        }
        return new Mask(h, w, out);
    }

    /** O1: I in Lab with a and b guided-filtered by the composite, back in RGB. */
    static RgbImage filterChroma(Device device, RgbImage image, RgbImage guide) {
        int h = image.height(), w = image.width(), plane = h * w;
        float[] lab = Lab.fromRgb(image.planes(), plane);
        float[] chroma = new float[2 * plane];
        System.arraycopy(lab, plane, chroma, 0, 2 * plane);
        Shape ab = Shape.of(2, h, w);
        try (Tensor g = device.upload(Shape.of(3, h, w), guide.planes());
             Tensor in = device.upload(ab, chroma);
             Tensor out = device.allocate(ab)) {
            device.postProcess().guidedFilter(g, in, GUIDED_RADIUS, GUIDED_EPS, out);
            System.arraycopy(out.toArray(), 0, lab, plane, 2 * plane);
        }
        return new RgbImage(h, w, Lab.toRgb(lab, plane));
    }
}
