"""The workforce: teams, workers, who holds each child's case, and case supervision."""
