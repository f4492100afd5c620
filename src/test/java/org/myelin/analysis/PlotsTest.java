package org.myelin.analysis;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Rectangle;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PlotsTest {
    @TempDir
    Path dir;

    private static BufferedImage read(Path p, int w, int h) throws Exception {
        assertTrue(Files.isRegularFile(p), "missing " + p);
        BufferedImage img = ImageIO.read(p.toFile());
        assertNotNull(img, "does not decode: " + p);
        assertEquals(w, img.getWidth());
        assertEquals(h, img.getHeight());
        return img;
    }

    /** Counts pixels in r whose blue clearly dominates red (blue-ish) and vice versa. */
    private static int[] redBlue(BufferedImage img, Rectangle r) {
        int red = 0, blue = 0;
        for (int y = r.y; y < r.y + r.height; y++) {
            for (int x = r.x; x < r.x + r.width; x++) {
                int rgb = img.getRGB(x, y);
                int cr = rgb >> 16 & 0xff, cb = rgb & 0xff;
                if (cb > cr + 30) blue++;
                if (cr > cb + 30) red++;
            }
        }
        return new int[] {red, blue};
    }

    @Test
    void heatMapColoursFollowTheSign() throws Exception {
        int rows = 40, cols = 51;
        float[] pos = new float[rows * cols];
        float[] neg = new float[rows * cols];
        for (int k = 0; k < pos.length; k++) {
            pos[k] = (k % 7 == 0) ? 0f : (k % 5) + 1f;
            neg[k] = -pos[k];
        }
        Path p = dir.resolve("pos.png"), n = dir.resolve("neg.png");
        Plots.heatMap(p, pos, rows, cols, "positive only");
        Plots.heatMap(n, neg, rows, cols, "negative only");
        Rectangle area = Plots.heatMapArea(rows, cols);
        assertTrue(area.width > 300 && area.height > 300, "plot area " + area);
        int[] rp = redBlue(read(p, Plots.HEATMAP_WIDTH, Plots.HEATMAP_HEIGHT), area);
        assertEquals(0, rp[1], "blue pixels in a positive-only field");
        assertTrue(rp[0] > area.width * area.height / 2, "too few red pixels: " + rp[0]);
        int[] rn = redBlue(read(n, Plots.HEATMAP_WIDTH, Plots.HEATMAP_HEIGHT), area);
        assertEquals(0, rn[0], "red pixels in a negative-only field");
        assertTrue(rn[1] > area.width * area.height / 2, "too few blue pixels: " + rn[1]);
    }

    @Test
    void zeroCellIsWhiteAndOrientationIsChannelByDelay() throws Exception {
        int rows = 4, cols = 6;
        float[] f = new float[rows * cols];
        f[0] = 1f;               // channel 0, delay 0: bottom-left cell red (channel 0 at the bottom)
        f[3 * cols + 5] = -1f;   // channel 3, delay 5: top-right cell blue
        Path p = dir.resolve("o.png");
        Plots.heatMap(p, f, rows, cols, "orientation");
        BufferedImage img = read(p, Plots.HEATMAP_WIDTH, Plots.HEATMAP_HEIGHT);
        Rectangle a = Plots.heatMapArea(rows, cols);
        int cw = a.width / cols, ch = a.height / rows;
        int bl = img.getRGB(a.x + cw / 2, a.y + a.height - ch / 2), tr = img.getRGB(a.x + a.width - cw / 2, a.y + ch / 2);
        int mid = img.getRGB(a.x + 2 * cw + cw / 2, a.y + ch + ch / 2);
        assertEquals(Plots.diverging(1, 1).getRGB(), bl);
        assertEquals(Plots.diverging(-1, 1).getRGB(), tr);
        assertEquals(0xffffffff, mid, "zero must be white");
    }

    @Test
    void summaryDistributionAndLinePlots() throws Exception {
        int rows = 10, cols = 11;
        float[] a = new float[rows * cols], b = new float[rows * cols];
        for (int k = 0; k < a.length; k++) { a[k] = (float) Math.sin(k); b[k] = k % cols < 5 ? 1f : -1f; }
        Path s = dir.resolve("summary.png");
        Plots.beforeAfter(s, a, "before", b, "after", rows, cols, "highest Moran's I");
        read(s, Plots.PAIR_WIDTH, Plots.PAIR_HEIGHT);

        Path d = dir.resolve("dist.png");
        Plots.distribution(d, "Moran's I, U = 3598, p = 3.9e-21", "Moran's I",
                "trained", new double[] {0.05, 0.07, 0.06, Double.NaN}, "untrained", new double[] {0.01, 0.0, 0.02},
                -1.0 / 2039, "expected");
        BufferedImage di = read(d, Plots.DIST_WIDTH, Plots.DIST_HEIGHT);
        Rectangle ca = Plots.chartArea(Plots.DIST_WIDTH, Plots.DIST_HEIGHT, 30);
        int[] rb = redBlue(di, ca);
        assertTrue(rb[0] > 50 && rb[1] > 50, "both groups drawn: " + rb[0] + " / " + rb[1]);

        Path l = dir.resolve("line.png");
        Plots.linePlot(l, "accuracy vs sparsity", "sparsity", "test accuracy (%)",
                new double[] {0, 1, 2, 3}, new String[] {"0 %", "50 %", "75 %", "87.5 %"},
                List.of(new Plots.Series("structure + delays", new double[] {97, 96, 95, 93}, new double[] {0.3, 0.4, 0.2, 0.6}),
                        new Plots.Series("fixed", new double[] {95, 93, Double.NaN, 88}, null)));
        read(l, Plots.LINE_WIDTH, Plots.LINE_HEIGHT);
        Path l2 = dir.resolve("line2.png");
        Plots.linePlot(l2, "numeric x", "x", "y", new double[] {0.5, 0.75, 0.875}, null,
                List.of(new Plots.Series("flat", new double[] {1, 1, 1}, null)));
        read(l2, Plots.LINE_WIDTH, Plots.LINE_HEIGHT);
    }

    /** Before and after share one colour scale: the same value has the same colour in both panels. */
    @Test
    void beforeAfterPanelsShareTheColourScale() throws Exception {
        int rows = 4, cols = 5;
        float[] before = new float[rows * cols], after = new float[rows * cols];
        before[0] = 0.5f;              // channel 0, delay 0 in both
        after[0] = 0.5f;
        after[rows * cols - 1] = 2f;   // the after panel's maximum sets the shared scale
        Path p = dir.resolve("pair.png");
        Plots.beforeAfter(p, before, "before", after, "after", rows, cols, "shared scale");
        BufferedImage img = read(p, Plots.PAIR_WIDTH, Plots.PAIR_HEIGHT);
        Rectangle l = Plots.fieldArea(0, Plots.PAIR_WIDTH / 2, rows, cols), r = Plots.fieldArea(Plots.PAIR_WIDTH / 2, Plots.PAIR_WIDTH / 2, rows, cols);
        int cw = l.width / cols, ch = l.height / rows;
        int left = img.getRGB(l.x + cw / 2, l.y + l.height - ch / 2), right = img.getRGB(r.x + cw / 2, r.y + r.height - ch / 2);
        assertEquals(Plots.diverging(0.5, 2).getRGB(), left, "before panel on the shared ±2 scale");
        assertEquals(left, right);
        assertEquals(Plots.diverging(2, 2).getRGB(), img.getRGB(r.x + r.width - cw / 2, r.y + ch / 2));
    }

    /** An accuracy plot's y axis starts at 0 and shows the chance level as a dashed grey line. */
    @Test
    void accuracyBySparsityStartsAtZeroWithAChanceLine() throws Exception {
        Path p = dir.resolve("abl.png");
        double[] ladder = {0.5, 0.75, 0.875};
        Plots.accuracyBySparsity(p, new Plots.AccuracyBySparsity(ladder, List.of("a", "b"),
                new double[][] {{1.0, 0.9, 0.8}, {0.0, Double.NaN, 0.6}}, new double[][] {{0, 0, 0}, {0, 0, 0}}, 3, 4));
        BufferedImage img = read(p, Plots.LINE_WIDTH, Plots.LINE_HEIGHT);
        Rectangle a = Plots.chartArea(Plots.LINE_WIDTH, Plots.LINE_HEIGHT, 230);
        // y from 0 to 100 + 8 % margin: the 0 % point of series b sits on the bottom edge
        double xb = a.x + (1 - Canvas.range(1, 3, 0.05)[0]) / (Canvas.range(1, 3, 0.05)[1] - Canvas.range(1, 3, 0.05)[0]) * a.width;
        int bottom = img.getRGB((int) Math.round(xb), a.y + a.height - 2);
        assertEquals(0xffff7f0e, bottom | 0xff000000, String.format("series b's marker at 0 %%: %08x", bottom));
        // chance = 25 %: grey dashes on that row
        int y25 = (int) Math.round(a.y + a.height - 25 / 108.0 * a.height);
        int grey = 0;
        for (int x = a.x + 300; x < a.x + a.width - 10; x++) {
            for (int dy = -1; dy <= 1; dy++) {
                int c = img.getRGB(x, y25 + dy) & 0xffffff;
                int rr = c >> 16, gg = (c >> 8) & 0xff, bb = c & 0xff;
                if (Math.abs(rr - gg) < 8 && Math.abs(gg - bb) < 8 && rr < 180) grey++;
            }
        }
        assertTrue(grey > 100, "grey chance-line pixels: " + grey);
    }

    @Test
    void trainingCurvesFromPerEpochRecords() throws Exception {
        record Epoch(double trainLoss, double testLoss, double trainAcc, double testAcc, double lr, double delayLr, double sigma) {}
        List<Epoch> epochs = new java.util.ArrayList<>();
        for (int e = 0; e < 5; e++) {
            epochs.add(new Epoch(2.0 - 0.3 * e, 2.1 - 0.25 * e, 0.2 + 0.15 * e, 0.18 + 0.14 * e, 0.001 * (e + 1), 0.1 / (e + 1),
                    e < 4 ? 12.5 - 3 * e : Double.NaN));
        }
        Plots.TrainingCurves t = Plots.TrainingCurves.of(epochs, 20, Epoch::trainLoss, Epoch::testLoss, Epoch::trainAcc,
                Epoch::testAcc, Epoch::lr, Epoch::delayLr, Epoch::sigma);
        assertEquals(5, t.trainLoss.length);
        assertTrue(Double.isNaN(t.sigma[4]));
        assertEquals(0.004, t.learningRate[3], 0);
        assertEquals(0.1 / 3, t.delayLearningRate[2], 0);
        Path p = dir.resolve("curves.png");
        Plots.trainingCurves(p, t);
        BufferedImage img = read(p, Plots.CURVES_WIDTH, Plots.CURVES_HEIGHT);
        int blue = 0, orange = 0;
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                int c = img.getRGB(x, y) | 0xff000000;
                if (c == 0xff1f77b4) blue++;
                if (c == 0xffff7f0e) orange++;
            }
        }
        assertTrue(blue > 500 && orange > 300, "train and test curves drawn: " + blue + " / " + orange);
        assertThrows(IllegalArgumentException.class, () -> new Plots.TrainingCurves(new double[2], new double[2], new double[2],
                new double[1], new double[2], new double[2], new double[2], 10));
    }

    @Test
    void niceTicks() {
        double[] t = Canvas.ticks(0, 50, 6);
        assertEquals(0, t[0]);
        assertEquals(50, t[t.length - 1]);
        assertEquals(10, t[1] - t[0], 1e-12);
        assertEquals("0.05", Canvas.tickLabel(0.05, 0.01));
        // three epochs: 1, 2, 3 rather than 1, 1.5, 2, 2.5, 3
        assertArrayEquals(new double[] {1, 1.5, 2, 2.5, 3}, Canvas.ticks(0.9, 3.1, 7), 1e-12);
        assertArrayEquals(new double[] {1, 2, 3}, Canvas.ticks(0.9, 3.1, 7, 1), 1e-12);
        assertEquals("3.88e-21", Canvas.fmt(3.88e-21));
    }

    /** A deeper network's field names its composed delay and quantity; one layer keeps the paper's labels. */
    @Test
    void fieldLabelsFollowTheDepth() throws Exception {
        assertEquals("total path delay d_in + d_out (steps, 0 to 2·Td = 50)", Plots.delayAxis(1, 51));
        assertEquals(Plots.FIELD_QUANTITY, Plots.fieldQuantity(1));
        assertEquals("total path delay d_1 + ... + d_3 (steps, 0 to 3·Td = 75)", Plots.delayAxis(2, 76));
        assertEquals("sum over paths of sign(w_1) * w_2 * ... * w_4", Plots.fieldQuantity(3));
        Path p = dir.resolve("deep.png");
        Plots.heatMap(p, new float[] {1, -1, 0.5f, 0, 0, 0, -0.5f, 1, 0, 0}, 2, 5, 2, "deep");
        BufferedImage img = javax.imageio.ImageIO.read(p.toFile());
        assertEquals(Plots.HEATMAP_WIDTH, img.getWidth());
    }

    @Test
    void probitIsTheNormalQuantile() {
        assertEquals(0, Plots.probit(0.5), 1e-12);
        assertEquals(1.959963984540054, Plots.probit(0.975), 1e-8);
        assertEquals(-3.090232306167813, Plots.probit(0.001), 1e-8);
        assertEquals(-1.0, Plots.probit(0.15865525393145707), 1e-8);
        for (double p : new double[] {1e-6, 0.01, 0.02425, 0.3, 0.9}) assertEquals(-Plots.probit(p), Plots.probit(1 - p), 1e-7, "symmetric at " + p);
        assertThrows(IllegalArgumentException.class, () -> Plots.probit(0));
        assertThrows(IllegalArgumentException.class, () -> Plots.probit(1));
    }

    @Test
    void aDetCurveOfGaussianScoresIsStraightOnItsAxes() throws Exception {
        // miss = Φ(−log10(FA/h) − 1): at 0.1/h 50 %, at 10/h Φ(−2); in between, at 1/h, Φ(−1) = 15.87 %.
        // Two points: the segment between them passes through the middle one only if x is log and y probit.
        Path p = dir.resolve("det.png");
        Plots.det(p, "DET", new double[] {0.1, 10}, new double[] {0.5, 0.022750131948179195}, "test", 0, 0);
        BufferedImage img = read(p, Plots.LINE_WIDTH, Plots.LINE_HEIGHT);
        Rectangle a = Plots.chartArea(Plots.LINE_WIDTH, Plots.LINE_HEIGHT, 230);
        // the axes: x decades 10^-2 .. 10^1 (one below the smallest), y from the 2 % tick to the 50 % tick
        double x = a.x + (0 - -2) / 3.0 * a.width;
        double y0 = Plots.probit(0.02), y1 = Plots.probit(0.5);
        double y = a.y + a.height - (-1 - y0) / (y1 - y0) * a.height;
        assertTrue(blueNear(img, (int) Math.round(x), (int) Math.round(y), 2), "the curve passes through (1/h, 15.9 %)");
        // on linear axes the middle would lie far off the segment: it is not drawn there
        double linY = a.y + a.height - (0.1587 * 100 - 2) / 48.0 * a.height;
        assertTrue(!blueNear(img, (int) Math.round(x), (int) Math.round(linY), 2) || Math.abs(linY - y) < 4);
        assertThrows(IllegalArgumentException.class, () -> Plots.det(p, "DET", new double[] {1}, new double[0], "x", 1, 0.05));
    }

    private static boolean blueNear(BufferedImage img, int x, int y, int r) {
        for (int yy = y - r; yy <= y + r; yy++) {
            for (int xx = x - r; xx <= x + r; xx++) {
                int rgb = img.getRGB(xx, yy);
                if ((rgb & 0xff) > (rgb >> 16 & 0xff) + 60) return true;
            }
        }
        return false;
    }
}
