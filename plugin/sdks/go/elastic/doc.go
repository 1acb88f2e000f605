// Elastic credentials as code: APM agent keys, Fleet enrollment keys, cross-cluster API keys and the least-privilege role that creates agent keys. Keys are only ever secret outputs.
package elastic
