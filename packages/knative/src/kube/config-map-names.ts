/**
 * The ConfigMap both modes read: the gateway in its own namespace, a sidecar in its revision's. Apart
 * from the watch so that the sidecar can name it without loading the Kubernetes client.
 */
export const CONFIG_MAP_NAME = 'config-shortline';

/** The key that holds the configuration document (same schema as config/shortline.yaml). */
export const CONFIG_MAP_KEY = 'config.yaml';
