"""The «Evaluering» tab: a survey export beside the programme's national figures."""
