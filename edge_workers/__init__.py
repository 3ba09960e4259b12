"""Ray actors (CameraWorker, Detector, Captioner) and their placement on edge boxes."""
