"""The hidden measure: outcomes judged by intent, the agent-episode record, aggregates and their spread over seeds."""
