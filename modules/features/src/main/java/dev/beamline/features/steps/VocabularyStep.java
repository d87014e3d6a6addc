package dev.beamline.features.steps;

import dev.beamline.spi.feature.FittedStep;
import dev.beamline.spi.feature.FittedStepFactory;
import dev.beamline.spi.feature.ValueType;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Maps text to its position in a vocabulary fitted on the training split (most frequent first, ties in
 * lexical order, cut by {@code topK} and {@code minFrequency}). Values outside the vocabulary go to one
 * out-of-vocabulary bucket.
 *
 * <ul>
 *   <li>{@code encoding: onehot} writes {@code terms + 1} features: one per term and the last for
 *       out-of-vocabulary; a missing value writes all zeros.
 *   <li>{@code encoding: index} passes on the index as a number: {@code terms} for out-of-vocabulary,
 *       missing stays missing.
 * </ul>
 */
public final class VocabularyStep implements FittedStep {
  private static final long serialVersionUID = 1L;

  /** Restores the step from {@code {terms: [...]}} and config {@code encoding}. */
  public static final FittedStepFactory FACTORY = new FittedStepFactory() {
    @Override
    public String type() {
      return "vocabulary";
    }

    @Override
    public FittedStep restore(ValueType input, Map<String, Object> config, Map<String, Object> state) {
      String encoding = StepState.text(config, "encoding", "onehot");
      if (!encoding.equals("onehot") && !encoding.equals("index")) {
        throw new IllegalArgumentException("vocabulary: encoding must be onehot or index, not " + encoding);
      }
      return new VocabularyStep(StepState.texts(state, "terms", "vocabulary"), encoding.equals("onehot"));
    }
  };

  private final List<String> terms;
  private final boolean oneHot;
  private transient Map<String, Integer> index;

  /** @param terms the vocabulary in order; {@code oneHot} encoding onehot, else index */
  public VocabularyStep(List<String> terms, boolean oneHot) {
    this.terms = List.copyOf(terms);
    this.oneHot = oneHot;
  }

  private Map<String, Integer> index() {
    Map<String, Integer> m = index;
    if (m == null) {
      m = new HashMap<>(terms.size() * 2);
      for (int i = 0; i < terms.size(); i++) {
        m.put(terms.get(i), i);
      }
      index = m;
    }
    return m;
  }

  /** The position of a term, or {@code terms().size()} when out of vocabulary. */
  public int indexOf(String term) {
    return index().getOrDefault(term, terms.size());
  }

  @Override
  public boolean isUnseen(Object value) {
    return value != null && !index().containsKey((String) value);
  }

  /** The vocabulary. */
  public List<String> terms() {
    return terms;
  }

  @Override
  public ValueType outputType() {
    return oneHot ? ValueType.ENCODED : ValueType.NUMBER;
  }

  @Override
  public int width() {
    return oneHot ? terms.size() + 1 : 0;
  }

  @Override
  public List<String> featureNames(String column) {
    if (!oneHot) {
      return List.of();
    }
    List<String> names = new ArrayList<>(terms.size() + 1);
    terms.forEach(t -> names.add(column + "=" + t));
    names.add(column + "=__oov__");
    return names;
  }

  @Override
  public Object apply(Object value, float[] out, int offset) {
    if (oneHot) {
      for (int i = 0; i <= terms.size(); i++) {
        out[offset + i] = 0f;
      }
      if (value != null) {
        out[offset + indexOf((String) value)] = 1f;
      }
      return null;
    }
    return value == null ? Double.NaN : (double) indexOf((String) value);
  }

  @Override
  public Map<String, Object> state() {
    return Map.of("terms", terms);
  }
}
