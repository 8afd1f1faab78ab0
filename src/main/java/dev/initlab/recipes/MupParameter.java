package dev.initlab.recipes;

import java.util.Arrays;
import java.util.Objects;

/**
 * What μP makes of one parameter, as {@code microsoft/mup} computes it (each quantity's
 * formula is on {@link Mup}).
 *
 * @param name the parameter's name
 * @param infinite per dimension, whether it is a width ("infinite") dimension: it differs
 * between the base and the target
 * @param widthMult {@code InfShape.width_mult()}
 * @param stdFactor what the standard-parametrization std is multiplied by (0 for a
 * zero-initialized readout)
 * @param initStd the μP init std: {@code spStd * stdFactor}
 * @param lrMultiplierAdam the learning-rate multiplier {@code MuAdam}/{@code MuAdamW}
 * give it
 * @param weightDecayMultiplierAdam the weight-decay multiplier {@code MuAdam} gives it
 * (with {@code decoupled_wd=False}, the default; 1 with {@code decoupled_wd=True})
 * @param lrMultiplierSgd the learning-rate multiplier {@code MuSGD} gives it
 * @param weightDecayMultiplierSgd the weight-decay multiplier {@code MuSGD} gives it
 * (with {@code decoupled_wd=False}, the default)
 * @param outputMultiplier for a readout's weight, what {@code MuReadout.forward}
 * multiplies the readout's input by, {@code output_mult / width_mult}; else {@code null}
 */
public record MupParameter(String name, boolean[] infinite, double widthMult, double stdFactor, double initStd,
		double lrMultiplierAdam, double weightDecayMultiplierAdam, double lrMultiplierSgd,
		double weightDecayMultiplierSgd, Double outputMultiplier) {

	public MupParameter {
		infinite = infinite.clone();
	}

	@Override
	public boolean[] infinite() {
		return this.infinite.clone();
	}

	/** How many dimensions are infinite ({@code InfShape.ninf()}). */
	public int infiniteDimensions() {
		int n = 0;
		for (boolean inf : this.infinite) {
			n += inf ? 1 : 0;
		}
		return n;
	}

	@Override
	public boolean equals(Object other) {
		return other instanceof MupParameter p && this.name.equals(p.name) && Arrays.equals(this.infinite, p.infinite)
				&& Double.compare(this.widthMult, p.widthMult) == 0 && Double.compare(this.stdFactor, p.stdFactor) == 0
				&& Double.compare(this.initStd, p.initStd) == 0
				&& Double.compare(this.lrMultiplierAdam, p.lrMultiplierAdam) == 0
				&& Double.compare(this.weightDecayMultiplierAdam, p.weightDecayMultiplierAdam) == 0
				&& Double.compare(this.lrMultiplierSgd, p.lrMultiplierSgd) == 0
				&& Double.compare(this.weightDecayMultiplierSgd, p.weightDecayMultiplierSgd) == 0
				&& Objects.equals(this.outputMultiplier, p.outputMultiplier);
	}

	@Override
	public int hashCode() {
		return this.name.hashCode();
	}

}
