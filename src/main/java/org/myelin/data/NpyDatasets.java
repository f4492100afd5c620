package org.myelin.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.myelin.io.Npy;

/**
 * Datasets stored as precomputed features in NumPy files. Accepted layouts of a folder DIR:
 * <ul>
 *   <li>{@code DIR/train/x.npy}, {@code DIR/train/y.npy}, {@code DIR/test/x.npy}, {@code DIR/test/y.npy};</li>
 *   <li>{@code DIR/x.npy}, {@code DIR/y.npy} and {@code DIR/split.npy} (int32, 0 = train, 1 = test) —
 *       the layout of the {@code features} cache;</li>
 * </ul>
 * x is N × T × C float32 (C order), y is N int32 labels in [0, classes). Classes = max label + 1
 * over both parts (at least 2).
 */
public final class NpyDatasets {
    private NpyDatasets() {}

    /** True when the folder looks like one of the accepted layouts. */
    public static boolean accepts(Path dir) {
        return Files.isRegularFile(dir.resolve("x.npy")) || Files.isRegularFile(dir.resolve("train").resolve("x.npy"));
    }

    /** Loads a folder in one of the accepted layouts. */
    public static Dataset.Split load(Path dir) throws IOException {
        if (Files.isRegularFile(dir.resolve("train").resolve("x.npy"))) {
            Npy.Array xtr = read(dir.resolve("train").resolve("x.npy"), "<f4", 3);
            Npy.Array ytr = read(dir.resolve("train").resolve("y.npy"), "<i4", 1);
            Npy.Array xte = read(dir.resolve("test").resolve("x.npy"), "<f4", 3);
            Npy.Array yte = read(dir.resolve("test").resolve("y.npy"), "<i4", 1);
            int classes = Math.max(2, Math.max(max(ytr.i), max(yte.i)) + 1);
            Dataset train = make(dir.resolve("train"), xtr, ytr, classes);
            Dataset test = make(dir.resolve("test"), xte, yte, classes);
            if (train.steps != test.steps || train.channels != test.channels) {
                throw new IllegalArgumentException(dir + ": train x is N×" + train.steps + "×" + train.channels + " but test x is N×" + test.steps + "×" + test.channels);
            }
            return new Dataset.Split(train, test, dir.toString());
        }
        Path xf = dir.resolve("x.npy");
        if (!Files.isRegularFile(xf)) throw new IllegalArgumentException(dir + ": no x.npy (nor train/x.npy) — not a features folder");
        Npy.Array x = read(xf, "<f4", 3);
        Npy.Array y = read(dir.resolve("y.npy"), "<i4", 1);
        Path sf = dir.resolve("split.npy");
        if (!Files.isRegularFile(sf)) throw new IllegalArgumentException(dir + ": x.npy and y.npy need split.npy (0 = train, 1 = test) or train/ and test/ folders");
        Npy.Array split = read(sf, "<i4", 1);
        int n = x.shape[0], T = x.shape[1], C = x.shape[2];
        if (y.shape[0] != n) throw new IllegalArgumentException(dir.resolve("y.npy") + ": " + y.shape[0] + " labels for " + n + " samples in x.npy");
        if (split.shape[0] != n) throw new IllegalArgumentException(sf + ": " + split.shape[0] + " entries for " + n + " samples in x.npy");
        List<String> files = null;
        Path ff = dir.resolve("files.txt");
        if (Files.isRegularFile(ff)) {
            files = Files.readAllLines(ff);
            if (files.size() != n) throw new IllegalArgumentException(ff + ": " + files.size() + " lines for " + n + " samples");
        }
        int classes = Math.max(2, max(y.i) + 1);
        int ntr = 0;
        for (int s = 0; s < n; s++) {
            if (split.i[s] != 0 && split.i[s] != 1) throw new IllegalArgumentException(sf + ": entry " + s + " is " + split.i[s] + " (must be 0 = train or 1 = test)");
            if (split.i[s] == 0) ntr++;
        }
        if (ntr == 0 || ntr == n) throw new IllegalArgumentException(sf + ": needs both train (0) and test (1) samples, has " + ntr + " train of " + n);
        float[] xtr = new float[ntr * T * C], xte = new float[(n - ntr) * T * C];
        int[] ytr = new int[ntr], yte = new int[n - ntr];
        List<String> ntrNames = new ArrayList<>(), nteNames = new ArrayList<>();
        int a = 0, b = 0;
        for (int s = 0; s < n; s++) {
            String name = files != null ? files.get(s) : "row-" + s;
            if (split.i[s] == 0) {
                System.arraycopy(x.f, s * T * C, xtr, a * T * C, T * C);
                ytr[a++] = y.i[s];
                ntrNames.add(name);
            } else {
                System.arraycopy(x.f, s * T * C, xte, b * T * C, T * C);
                yte[b++] = y.i[s];
                nteNames.add(name);
            }
        }
        return new Dataset.Split(new Dataset(xtr, ytr, T, C, classes, ntrNames), new Dataset(xte, yte, T, C, classes, nteNames), dir.toString());
    }

    private static int max(int[] a) {
        int m = -1;
        for (int v : a) m = Math.max(m, v);
        return m;
    }

    private static Npy.Array read(Path f, String dtype, int dims) throws IOException {
        if (!Files.isRegularFile(f)) throw new IllegalArgumentException(f + ": missing");
        Npy.Array a = Npy.read(f);
        if (!a.dtype.equals(dtype)) throw new IllegalArgumentException(f + ": dtype " + a.dtype + ", expected " + dtype);
        if (a.shape.length != dims) throw new IllegalArgumentException(f + ": " + a.shape.length + " dimensions, expected " + dims);
        return a;
    }

    private static Dataset make(Path where, Npy.Array x, Npy.Array y, int classes) {
        int n = x.shape[0];
        if (y.shape[0] != n) throw new IllegalArgumentException(where + ": " + y.shape[0] + " labels for " + n + " samples");
        for (int s = 0; s < n; s++) {
            if (y.i[s] < 0) throw new IllegalArgumentException(where.resolve("y.npy") + ": negative label at row " + s);
        }
        List<String> names = new ArrayList<>(n);
        for (int s = 0; s < n; s++) names.add("row-" + s);
        try {
            return new Dataset(x.f, y.i, x.shape[1], x.shape[2], classes, names);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + ": " + e.getMessage());
        }
    }
}
