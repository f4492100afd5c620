package org.myelin.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
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
        f[0] = 1f;               // channel 0, delay 0: top-left cell red
        f[3 * cols + 5] = -1f;   // channel 3, delay 5: bottom-right cell blue
        Path p = dir.resolve("o.png");
        Plots.heatMap(p, f, rows, cols, "orientation");
        BufferedImage img = read(p, Plots.HEATMAP_WIDTH, Plots.HEATMAP_HEIGHT);
        Rectangle a = Plots.heatMapArea(rows, cols);
        int cw = a.width / cols, ch = a.height / rows;
        int tl = img.getRGB(a.x + cw / 2, a.y + ch / 2), br = img.getRGB(a.x + a.width - cw / 2, a.y + a.height - ch / 2);
        int mid = img.getRGB(a.x + 2 * cw + cw / 2, a.y + ch + ch / 2);
        assertEquals(Plots.diverging(1, 1).getRGB(), tl);
        assertEquals(Plots.diverging(-1, 1).getRGB(), br);
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

    @Test
    void niceTicks() {
        double[] t = Canvas.ticks(0, 50, 6);
        assertEquals(0, t[0]);
        assertEquals(50, t[t.length - 1]);
        assertEquals(10, t[1] - t[0], 1e-12);
        assertEquals("0.05", Canvas.tickLabel(0.05, 0.01));
        assertEquals("3.88e-21", Canvas.fmt(3.88e-21));
    }
}
