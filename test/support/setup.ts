// Runs in every test file: what a file's tests create in temp dirs goes when the file is done.
import { afterAll } from "vitest";
import { removeTempDirs } from "./temp-dir.ts";

afterAll(removeTempDirs);
