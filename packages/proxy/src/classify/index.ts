export { createClassifier, type Classifier, type ClassifierOptions, type StructuredClassification } from './create-classifier.js';
export { NEEDS_BODY } from './needs-body.js';
