package org.myelin.train;

/** Adam's first (m) and second (v) moment estimates of one parameter array, index for index. */
final class Moments {
    final float[] m, v;

    Moments(int n) {
        this(new float[n], new float[n]);
    }

    Moments(float[] m, float[] v) {
        if (m.length != v.length) throw new IllegalArgumentException("moment arrays differ in length: " + m.length + " vs " + v.length);
        this.m = m;
        this.v = v;
    }
}
